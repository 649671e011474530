"""kizuna's shipped templates (jinja2 notes, the settings file, the example contact)."""
