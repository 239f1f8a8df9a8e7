//! Semantic tokens for clients without a tree-sitter grammar.

use super::World;
use crate::diagnostics::FileId;
use crate::rrtype::RrClass;
use crate::text::TextRange;
use crate::zone::lexer::{Lexer, TokenKind};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenType {
    Namespace,
    Type,
    Keyword,
    Number,
    String,
    Comment,
    Macro,
    Parameter,
}

impl TokenType {
    pub const ALL: [TokenType; 8] = [
        TokenType::Namespace,
        TokenType::Type,
        TokenType::Keyword,
        TokenType::Number,
        TokenType::String,
        TokenType::Comment,
        TokenType::Macro,
        TokenType::Parameter,
    ];

    pub fn name(self) -> &'static str {
        match self {
            TokenType::Namespace => "namespace",
            TokenType::Type => "type",
            TokenType::Keyword => "keyword",
            TokenType::Number => "number",
            TokenType::String => "string",
            TokenType::Comment => "comment",
            TokenType::Macro => "macro",
            TokenType::Parameter => "parameter",
        }
    }
}

/// Tokens in file order.
pub fn tokens(world: &World, file: FileId) -> Vec<(TextRange, TokenType)> {
    if !world.is_zone_text(file) {
        return Vec::new();
    }
    let text = world.sources.text(file);
    let mut fields: Vec<(TextRange, TokenType)> = Vec::new();
    for (_, _, r) in world.records_in(file) {
        if r.is_generated() {
            continue;
        }
        if let Some(s) = r.owner_span.get() {
            fields.push((s, TokenType::Namespace));
        }
        if let Some(s) = r.ttl_span.get() {
            fields.push((s, TokenType::Number));
        }
        fields.push((r.type_span, TokenType::Type));
    }
    fields.sort_by_key(|f| f.0.start);
    let mut out = Vec::new();
    let mut line_first_word = true;
    let mut directive = false;
    let mut fi = 0;
    for t in Lexer::new(text) {
        while fi < fields.len() && fields[fi].0.end <= t.range.start && fields[fi].0 != t.range {
            fi += 1;
        }
        let field = fields.get(fi).filter(|f| f.0 == t.range).map(|f| f.1);
        let kind = match t.kind {
            TokenKind::Newline => {
                line_first_word = true;
                directive = false;
                continue;
            }
            TokenKind::Whitespace | TokenKind::LParen | TokenKind::RParen => {
                if t.kind == TokenKind::Whitespace {
                    line_first_word = false;
                }
                continue;
            }
            TokenKind::Comment => Some(TokenType::Comment),
            TokenKind::Quoted => Some(TokenType::String),
            TokenKind::Word => {
                if line_first_word && t.text(text).starts_with('$') {
                    directive = true;
                    Some(TokenType::Macro)
                } else if field.is_some() {
                    field
                } else if RrClass::from_mnemonic(t.text(text)).is_some() && !directive {
                    Some(TokenType::Keyword)
                } else {
                    Some(TokenType::Parameter)
                }
            }
        };
        line_first_word = false;
        if let Some(k) = kind {
            out.push((t.range, k));
        }
    }
    out
}
