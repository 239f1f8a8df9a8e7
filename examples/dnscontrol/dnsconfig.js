// blog.example — managed with DNSControl (`dnscontrol preview`, `dnscontrol push`).
var REG_NONE = NewRegistrar("none");
var DSP = NewDnsProvider("cloudflare");

D("blog.example", REG_NONE, DnsProvider(DSP),
    DefaultTTL(3600),
    A("@", "192.0.2.90"),
    MX("@", 10, "mx1.example.com."),
    SPF_BUILDER({
        label: "@",
        parts: [
            "v=spf1",
            "mx",
            "include:_spf.corp.example",
            "ip4:198.51.100.7/24",
            "-all"
        ]
    }),
    DMARC_BUILDER({
        policy: "reject",
        rua: ["mailto:dmarc@example.com"],
        reportInterval: 86400
    }),
END);
