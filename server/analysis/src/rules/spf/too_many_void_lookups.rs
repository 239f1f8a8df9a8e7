use crate::diagnostics::Diagnostic;
use crate::mail::MailRecord;
use crate::mail::spf_tree::Tree;

crate::declare_rule! {
    /// ## What it does
    /// Reports an SPF record whose tree has more than two void lookups: terms whose DNS
    /// query returns no answer (the name does not exist, or has no records of the type —
    /// for `a`, neither A nor AAAA).
    ///
    /// ## Why it matters
    /// Receivers SHOULD stop after two void lookups and return PermError (§4.6.4): the
    /// record fails for everyone. Void lookups usually point at hosts and includes that
    /// were decommissioned but never removed from the record.
    ///
    /// ## Example
    /// ```zone
    /// @ IN TXT "v=spf1 a:old1.example.com a:old2.example.com include:gone.example.net mx -all"
    /// ```
    /// Use instead: remove the terms that point at names that no longer exist.
    ///
    /// ## Reference
    /// RFC 7208 §4.6.4 (void lookup limit), §11.1.
    pub static RULE = {
        code: "spf/too-many-void-lookups",
        severity: Error,
        fix: None,
        summary: "more than 2 lookups that return no answer",
    }
}

pub fn check(m: &MailRecord, tree: &Tree, out: &mut Vec<Diagnostic>) {
    if tree.void_total() <= 2 {
        return;
    }
    let mut voids: Vec<&str> = Vec::new();
    collect(tree, &mut voids);
    let mut seen = 0;
    for n in &tree.nodes {
        let here = u32::from(n.void) + n.child.as_ref().map_or(0, |c| c.void_total());
        seen += here;
        if here > 0 && seen > 2 {
            out.push(m.diag(
                &RULE,
                n.range.clone(),
                format!(
                    "this record makes {} void lookups ({}); receivers return PermError after 2 (RFC 7208 §4.6.4)",
                    tree.void_total(),
                    voids.iter().map(|v| format!("`{v}`")).collect::<Vec<_>>().join(", ")
                ),
            ));
            return;
        }
    }
}

fn collect<'a>(t: &'a Tree, out: &mut Vec<&'a str>) {
    for n in &t.nodes {
        if n.void {
            out.push(&n.text);
        }
        if let Some(c) = &n.child {
            collect(c, out);
        }
    }
}
