//! Record values of arbitrary bytes through the SPF parser (macros included), the
//! tag-list parser and the DKIM and DMARC parsers.
#![no_main]

use libfuzzer_sys::fuzz_target;
use zonels_analysis::records::{dkim, dmarc, spf, tag_list};

fuzz_target!(|data: &[u8]| {
    let _ = spf::parse(data);
    let _ = spf::parse_macro_string(data, 0, data.len(), true);
    let _ = spf::parse_macro_string(data, 0, data.len(), false);
    let _ = tag_list::parse(data, true);
    let _ = dkim::parse(data);
    let _ = dmarc::parse(data);
});
