"""Databases for the PostgreSQL tests: one per test on the session's server (``postgres_url``)."""

from __future__ import annotations

import re
import secrets
from urllib.parse import urlsplit, urlunsplit


def database_url(server_url: str, name: str) -> str:
    """``server_url`` pointed at the database ``name``."""
    return urlunsplit(urlsplit(server_url)._replace(path=f"/{name}"))


def new_database(server_url: str, label: str) -> str:
    """A new empty database named after ``label``; returns its name."""
    import psycopg

    name = f"t_{re.sub(r'[^a-z0-9]+', '_', label.lower())[:40]}_{secrets.token_hex(3)}"
    with psycopg.connect(server_url, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    return name


def drop_database(server_url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(server_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def sql(url: str, statement: str, params: tuple = ()) -> list[tuple]:
    """Run one statement on ``url``; its rows (none for a statement without)."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        cursor = connection.execute(statement, params)
        return cursor.fetchall() if cursor.description else []
