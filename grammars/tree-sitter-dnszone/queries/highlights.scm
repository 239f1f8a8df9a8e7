; Directives
["$ORIGIN" "$TTL" "$INCLUDE" "$GENERATE"] @keyword.directive
(unknown_directive name: (directive_name) @keyword.directive)

; Records
(owner) @label
(owner "@") @constant.builtin
(name "@") @constant.builtin
(name) @string.special
(ttl) @number
(class) @keyword
(type) @type

(include_directive file: (_) @string.special.path)
(generate_directive range: (word) @number)

; Record data
(word) @variable
(string) @string
(escape_sequence) @string.escape
(parenthesized ["(" ")"] @punctuation.bracket)

(comment) @comment @spell
