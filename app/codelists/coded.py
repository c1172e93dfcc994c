"""Coded answers kept as rows of a table of their own (record id, list name, code), so reports
count them with plain SQL: how a record reads and writes them as lists of codes, how a push
writes them beside its records, and how a pull reads them back. Written once for every record
that holds coded answers (an interview's factors and harms, a self-report's reasons)."""

from collections import defaultdict

from sqlalchemy import delete, inspect, select
from sqlalchemy.orm import Session

from app.core.bulk import ids_among, insert_many


class CodedAnswers:
    """Reads and writes one code list's answers of a record as a plain list of codes."""

    def __init__(self, list_name: str):
        self.list_name = list_name

    def __get__(self, record, owner):
        return self if record is None else record.coded(self.list_name)

    def __set__(self, record, codes):
        record.set_coded(self.list_name, codes)


class HoldsCodes:
    """A record whose `codes` relationship holds its coded answers. coded_answers maps each
    answer's attribute to its code list; code_row(list_name=, code=) makes a row."""

    coded_answers: dict[str, str] = {}
    code_row: type

    def changed_extra_fields(self) -> set[str]:
        history = inspect(self).attrs.codes.history
        lists = {code.list_name for code in (*history.added, *history.deleted)}
        return {name for name, list_name in self.coded_answers.items() if list_name in lists}

    def coded(self, list_name: str) -> list[str]:
        return sorted(c.code for c in self.codes if c.list_name == list_name)

    def set_coded(self, list_name: str, codes: list[str]) -> None:
        wanted = set(codes or ())
        self.codes = [c for c in self.codes if c.list_name != list_name or c.code in wanted]
        present = {c.code for c in self.codes if c.list_name == list_name}
        self.codes += [self.code_row(list_name=list_name, code=c) for c in sorted(wanted - present)]


def code_writer(row_model, owner_column: str, coded_answers: dict[str, str]):
    """after_write for a synced collection: each coded answer a push set, as rows of row_model
    (owner_column naming the record); those of a changed record replace what it held."""
    owner = getattr(row_model, owner_column)

    def write_codes(session: Session, written) -> None:
        replace = [(record, name) for record in written.created for name in coded_answers]
        changed = [(record, name) for record in written.updated for name in coded_answers
                   if name in written.changed.get(record.id, ())]
        for name in {name for _record, name in changed}:
            ids = [record.id for record, replaced in changed if replaced == name]
            session.execute(delete(row_model).where(
                owner.in_(ids), row_model.list_name == coded_answers[name]))
        insert_many(session, row_model.__table__, {}, (owner_column, "list_name", "code"),
                    [(record.id, coded_answers[name], code) for record, name in replace + changed
                     for code in sorted(set(record.fields.get(name) or []))])

    return write_codes


def read_codes(session: Session, row_model, owner_column: str, coded_answers: dict[str, str],
               records) -> None:
    """Sets each coded answer of these plain records (a pull's page), its codes in order."""
    owner = getattr(row_model, owner_column)
    coded = defaultdict(lambda: defaultdict(set))  # by record, then by code list
    connection = session.connection()
    for record_id, list_name, code in connection.execute(
            select(owner, row_model.list_name, row_model.code)
            .where(ids_among(connection, owner, [record.id for record in records]))):
        coded[record_id][list_name].add(code)
    for record in records:
        lists = coded.get(record.id, {})
        for name, list_name in coded_answers.items():
            setattr(record, name, sorted(lists.get(list_name, ())))
