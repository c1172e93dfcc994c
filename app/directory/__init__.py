"""The directory of services who can help: national and local services a worker may refer to
or a child may contact, bilingual and versioned, shipped as data with each release
(data/services.json), checked when it is read, and sent to the tablets as the reference part
`directory`."""
