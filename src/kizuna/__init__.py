"""kizuna: a plain-text personal CRM."""
