"""What the SQLite and PostgreSQL adapters share: the statements both engines run the
same way, and turning their rows into domain values. What differs between the engines
(parameter marks, how instants and lists are bound) is a ``Dialect``; each engine's
package keeps its own statements where they really differ.
"""
