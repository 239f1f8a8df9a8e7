; Owner names define the names a zone holds; $ORIGIN starts a new scope for relative names.
(origin_directive) @local.scope
(record owner: (owner) @local.definition)
(word) @local.reference
