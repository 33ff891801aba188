"""HSDS 3.1 exchange of the social map: validation, import, export and the documents of the API.

See docs/subsystems/directory-hsds.md.
"""
