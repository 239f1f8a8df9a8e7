; TODO/FIXME markers and the like in comments.
((comment) @injection.content
  (#set! injection.language "comment"))
