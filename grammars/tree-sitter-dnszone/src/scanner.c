// The line structure of zone files, which a context-free lexer cannot see:
//   _eol     a line feed, or the end of the file (once);
//   _indent  the blank at the start of a line that holds a record for the previous
//            owner (not a blank line, not a comment-only line).
#include "tree_sitter/alloc.h"
#include "tree_sitter/parser.h"

enum TokenType { EOL, INDENT };

typedef struct {
  bool eof_done;
} Scanner;

void *tree_sitter_dnszone_external_scanner_create(void) {
  Scanner *s = ts_calloc(1, sizeof(Scanner));
  return s;
}

void tree_sitter_dnszone_external_scanner_destroy(void *payload) { ts_free(payload); }

unsigned tree_sitter_dnszone_external_scanner_serialize(void *payload, char *buffer) {
  Scanner *s = payload;
  buffer[0] = (char)s->eof_done;
  return 1;
}

void tree_sitter_dnszone_external_scanner_deserialize(void *payload, const char *buffer, unsigned length) {
  Scanner *s = payload;
  s->eof_done = length > 0 && buffer[0];
}

static bool is_blank(int32_t c) { return c == ' ' || c == '\t'; }

bool tree_sitter_dnszone_external_scanner_scan(void *payload, TSLexer *lexer, const bool *valid_symbols) {
  Scanner *s = payload;
  if (valid_symbols[INDENT] && lexer->get_column(lexer) == 0 && is_blank(lexer->lookahead)) {
    while (is_blank(lexer->lookahead) || lexer->lookahead == '\r') {
      lexer->advance(lexer, true);
    }
    if (lexer->lookahead != '\n' && lexer->lookahead != ';' && !lexer->eof(lexer)) {
      lexer->result_symbol = INDENT;
      return true;
    }
    // A blank or comment-only line: the blanks were skipped; go on to the line end.
  }
  if (!valid_symbols[EOL]) {
    return false;
  }
  while (is_blank(lexer->lookahead) || lexer->lookahead == '\r') {
    lexer->advance(lexer, true);
  }
  if (lexer->lookahead == '\n') {
    lexer->advance(lexer, false);
    lexer->result_symbol = EOL;
    return true;
  }
  if (lexer->eof(lexer) && !s->eof_done) {
    s->eof_done = true;
    lexer->result_symbol = EOL;
    return true;
  }
  return false;
}
