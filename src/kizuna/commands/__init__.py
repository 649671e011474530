"""One module per command; `kizuna.cli` imports each only when it runs."""
