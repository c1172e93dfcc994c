"""The administrator's search of the audit trail (/admin/audit): by person, by child, by date.
Apart from app/audit, which imports only core so that every capability can write to it: this
page reads people and children, whose capabilities write to the trail."""
