"""PostgreSQL storage through psycopg 3: a connection pool, versioned migrations."""

from connect.adapters.postgres.unit_of_work import PostgresUnitOfWork

__all__ = ["PostgresUnitOfWork"]
