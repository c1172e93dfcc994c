"""Exit 0 when a PostgreSQL server answers at the given SQLAlchemy URL, 1 otherwise."""

import sys

import psycopg


def main(url: str) -> int:
    try:
        with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"),
                             connect_timeout=3):
            return 0
    except psycopg.OperationalError as error:
        print(f"PostgreSQL not reachable: {error}".splitlines()[0], file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
