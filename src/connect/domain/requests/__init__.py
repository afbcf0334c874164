"""Request shapes: the body of every JSON write, one ``@frozen`` class each.

A shape's fields carry ``describe(...)`` metadata (read by the OpenAPI walker) and an
attrs converter that checks one field and normalises it (trims text, reads names into
enums). A converter raises ``ValidationFailed`` naming its field; the HTTP adapter's
``structure`` runs every field's converter and reports every failure at once. Library
callers build shapes with keyword arguments and meet the same rules.
"""
