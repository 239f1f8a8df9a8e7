/**
 * @file DNS zone files (RFC 1035 §5 master files, with the BIND extensions zonels reads)
 * @license MIT
 */

/// <reference types="tree-sitter-cli/dsl" />
// @ts-check

const RR_TYPES = [
  'A', 'A6', 'AAAA', 'AFSDB', 'AMTRELAY', 'APL', 'ATMA', 'AVC', 'CAA', 'CDNSKEY', 'CDS', 'CERT',
  'CNAME', 'CSYNC', 'DHCID', 'DLV', 'DNAME', 'DNSKEY', 'DOA', 'DS', 'EID', 'EUI48', 'EUI64', 'GID',
  'GPOS', 'HINFO', 'HIP', 'HTTPS', 'IPSECKEY', 'ISDN', 'KEY', 'KX', 'L32', 'L64', 'LOC', 'LP', 'MB',
  'MD', 'MF', 'MG', 'MINFO', 'MR', 'MX', 'NAPTR', 'NID', 'NIMLOC', 'NINFO', 'NS', 'NSAP', 'NSAP-PTR',
  'NSEC', 'NSEC3', 'NSEC3PARAM', 'NULL', 'NXT', 'OPENPGPKEY', 'PTR', 'PX', 'RESINFO', 'RKEY', 'RP',
  'RRSIG', 'RT', 'SIG', 'SINK', 'SMIMEA', 'SOA', 'SPF', 'SRV', 'SSHFP', 'SVCB', 'TA', 'TALINK', 'TLSA',
  'TXT', 'UID', 'UINFO', 'UNSPEC', 'URI', 'WALLET', 'WKS', 'X25', 'ZONEMD',
];

/** A keyword in any case. */
function ci(word) {
  return new RegExp(
    word
      .split('')
      .map((c) => (/[a-zA-Z]/.test(c) ? `[${c.toLowerCase()}${c.toUpperCase()}]` : c.replace(/[-$]/g, (m) => '\\' + m)))
      .join(''),
  );
}

const TTL = /[0-9]+([sSmMhHdDwW]([0-9]+[sSmMhHdDwW])*)?/;

module.exports = grammar({
  name: 'dnszone',

  // The line structure: `_eol` ends a line (or the file), `_indent` starts a line that
  // begins with a blank (a record for the previous owner). Both come from src/scanner.c.
  externals: ($) => [$._eol, $._indent],

  extras: ($) => [/[ \t\r]/, $.comment],

  word: ($) => $._word,

  rules: {
    source_file: ($) => repeat(choice($._statement, $._eol)),

    _statement: ($) =>
      choice($.record, $.origin_directive, $.ttl_directive, $.include_directive, $.generate_directive, $.unknown_directive),

    comment: (_) => token(seq(';', /[^\n]*/)),

    // Directives.
    origin_directive: ($) => seq(alias(ci('$ORIGIN'), '$ORIGIN'), field('name', $.name), $._eol),
    ttl_directive: ($) => seq(alias(ci('$TTL'), '$TTL'), field('ttl', $.ttl), $._eol),
    include_directive: ($) =>
      seq(alias(ci('$INCLUDE'), '$INCLUDE'), field('file', choice($.word, $.string)), optional(field('origin', $.name)), $._eol),
    generate_directive: ($) =>
      seq(
        alias(ci('$GENERATE'), '$GENERATE'),
        field('range', $.word),
        field('lhs', $.word),
        optional($._ttl_class),
        field('type', $.type),
        repeat1(field('rhs', $._rdata)),
        $._eol,
      ),
    unknown_directive: ($) => seq(field('name', alias(/\$[A-Za-z_]+/, $.directive_name)), repeat($._rdata), $._eol),

    // Records: `owner [ttl] [class] type rdata…`, TTL and class in either order; a line
    // starting with a blank keeps the previous owner.
    record: ($) =>
      seq(
        choice(field('owner', $.owner), $._indent),
        optional($._ttl_class),
        field('type', $.type),
        repeat(field('data', $._rdata)),
        $._eol,
      ),

    _ttl_class: ($) => choice(seq($.ttl, optional($.class)), seq($.class, optional($.ttl))),

    owner: ($) => choice('@', $._word),

    ttl: (_) => TTL,

    class: (_) => choice(ci('IN'), ci('CH'), ci('CS'), ci('HS'), /[cC][lL][aA][sS][sS][0-9]+/),

    type: (_) => choice(...RR_TYPES.map(ci), /[tT][yY][pP][eE][0-9]+/),

    _rdata: ($) => choice($.word, $.string, $.parenthesized),

    // `( … )` lets record data run over several lines.
    parenthesized: ($) => seq('(', repeat(choice($._rdata, $._eol)), ')'),

    name: ($) => choice('@', $._word),

    word: ($) => $._word,

    // A run of characters that are not blanks, quotes, parentheses or `;`, with `\X` and
    // `\DDD` escapes.
    _word: ($) => token(repeat1(choice(/[^\s;"()\\]/, /\\[0-9]{3}/, /\\[^0-9\n]/))),

    string: ($) => seq('"', repeat(choice($.string_content, $.escape_sequence)), token.immediate('"')),

    string_content: (_) => token.immediate(prec(1, /[^"\\]+/)),

    escape_sequence: (_) => token.immediate(choice(/\\[0-9]{3}/, /\\[^0-9]/)),
  },
});
