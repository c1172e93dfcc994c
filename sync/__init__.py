"""The sync protocol, framework-free: messages, merge rules and the Store protocol it needs.

It imports the standard library (and marshmallow for message schemas), never flask nor app.
Filled by the offline sync capability.
"""
