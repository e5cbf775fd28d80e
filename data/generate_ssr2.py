#!/usr/bin/env python3
"""Writes data/ssr2.ndjson: ICANN's Second Security, Stability and Resiliency of the DNS Review (SSR2), from its
Board resolution of 3 Feb 2017 to the Board's action of 10 Sep 2023 on the last pending recommendations, as
ledger entries (one {"type", "data"} a line, in effective-time order).

    python3 data/generate_ssr2.py            # (re)write data/ssr2.ndjson
    python3 data/generate_ssr2.py --check    # is the file what this script generates? (the test suite asks)

Every entry's `source` is the URL of a public page that supports it (ICANN's community wiki, Board resolutions
and announcements, the ssr2-review and SO/AC mailing lists); its `note` says what that page does not give and
was reconstructed. People are named only as those pages name them in their role on the review team.
What is reconstructed overall: the 100-odd individual areas of interest and the scope decisions about them
(the record says topics were listed at Madrid and duplicates consolidated, not which), subteam membership
beyond the member the record names, recommendation texts (paraphrased; numbers and group titles are the Final
Report's), times of day where a page gives only a date, and the dates noted as such. See data/README.md.
"""
import sys
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from ledger_lines import Ledger, main, ts  # noqa: E402

OUT = Path(__file__).resolve().parent / "ssr2.ndjson"

# --- sources (pages read; each entry cites the one that supports it) ----------------------------------
S_RES_2017 = "https://lists.icann.org/hyperkitty/list/ssr2-review@icann.org/message/RUIZUUFY4H7O5SQMB73GNRBRA2BGEFD4/attachment/2/attachment.html"
S_RES_2021 = "https://features.icann.org/second-security-stability-and-resiliency-ssr2-review-team-final-report"
S_LEADERSHIP = "http://www.icann.org/news/announcement-2017-03-30-en"
S_PLENARY_1 = "https://community.icann.org/pages/viewpage.action?pageId=64072071"
S_ICANN58 = "https://community.icann.org/pages/viewpage.action?pageId=64074062"
S_TOR_V2 = "http://mm.icann.org/pipermail/ssr2-review/attachments/20170415/210292b2/attachment.html"
S_TOR_V3 = "http://mm.icann.org/pipermail/ssr2-review/2017-April/000219.html"
S_MADRID = "https://community.icann.org/pages/diffpages.action?originalId=66075739&pageId=66075742"
S_TOR_ADOPTED = "http://mm.icann.org/pipermail/ssr2-review/2017-October/000644.html"
S_BOARD_ON_TOR = "http://mm.icann.org/pipermail/rds-whois2-rt-leadership_staff/2017-November/000151.html"
S_LETTERS = "https://lists.icann.org/hyperkitty/list/ssr2-review@icann.org/message/XMHQL6FLB22IVPJQD3S7GC27ZYAK5PXG/attachment/2/attachment.html"
S_ICANN59 = "https://icannwiki.org/ICANN_59_-_Johannesburg"
S_GNSO_SSR2 = "https://icann-community.atlassian.net/wiki/pages/diffpages.action?originalId=111062906&pageId=111062910"
S_SSAC_LETTER = "https://lists.icann.org/hyperkitty/list/council@icann.org/message/L7OPWFJVSOTH45IUUUA5UXW7WWAZ2KR4/attachment/2/attachment.html"
S_SSR1_SUBGROUP = "http://mm.icann.org/pipermail/ssr2-review/2017-October/000715.html"
S_ABU_DHABI = "http://mm.icann.org/pipermail/ssr2-review/2017-October/000710.html"
S_COUNCIL_NOV_2017 = "https://lists.icann.org/hyperkitty/list/council@icann.org/message/I4LOT5IMFJB4UFGCCKY33YP2LAY2VXGH/attachment/2/attachment.html"
S_NCSG = "https://community.icann.org/display/SSR/Meeting+with+NCSG+-+ICANN60"
S_SOAC_2018 = "https://lists.icann.org/hyperkitty/list/council@icann.org/message/SRIKBQR45XC3UBHZGFNT3LLYDLWOT3ZT/"
S_RESTART = "https://lists.icann.org/hyperkitty/list/ccnso-council@icann.org/message/2T5JPV35EL77DXZAAQQ2YZ76SNCVGBHH/attachment/2/attachment.html"
S_M37 = "https://icann-community.atlassian.net/wiki/x/MqLJBQ"
S_BARCELONA = "https://lists.icann.org/hyperkitty/list/ssr2-review@icann.org/message/UTMOHGPVCPUGNITOSXGHNQOOTS5B7PVC/attachment/3/attachment.html"
S_DC = "https://community.icann.org/x/45VEB"
S_DC_DECISIONS = "https://mm.icann.org/pipermail/ssr2-review/2018-August/001139.html"
S_M41 = "https://icann-community.atlassian.net/wiki/x/uqLJBQ"
S_TOR_SENT = "https://mm.icann.org/pipermail/ssr2-review/2018-September/001171.html"
S_M43 = "https://community.icann.org/display/SSR/SSR2+Meeting+%2343+-+13+September+2018"
S_M51 = "https://icann-community.atlassian.net/wiki/x/eqfJBQ"
S_ACTIONS_2019 = "https://community.icann.org/pages/diffpagesbyversion.action?pageId=64076118&selectedPageVersions=431&selectedPageVersions=432"
S_DECISIONS = "https://community.icann.org/display/SSR/Decisions+Reached"
S_M92 = "https://icann-community.atlassian.net/wiki/spaces/SSR/pages/97104664/SSR2+Plenary+92+-+27+November+2019"
S_DRAFT_PC = "https://community.icann.org/pages/metadata/viewxml.action?pageId=126426044"
S_SAC110 = "https://community.icann.org/display/BA/SAC110%3A+SSAC+Comments+on+the+Second+Security%2C+Stability%2C+and+Resiliency+%28SSR2%29+Review+Team+Draft+Report"
S_SAC110_STATUS = "https://icann-community.atlassian.net/wiki/x/QZ-WBQ"
S_ICANN67 = "http://atlarge-lists.icann.org/pipermail/afri-discuss/attachments/20200220/81cef0b7/attachment.html"
S_M111 = "https://icann-community.atlassian.net/wiki/x/tLfJBQ"
S_FINAL = "https://lists.icann.org/hyperkitty/list/ssr2-review@icann.org/thread/SUZJDGKPVZMMH7FCFMQEEEXBKI5UCUH3/"
S_FINAL_PC = "http://atlarge-lists.icann.org/pipermail/alac/attachments/20210129/5892d6a7/attachment.html"
S_SCORECARD = "https://community.icann.org/display/SSR/SSR2+Review"
S_SSR_HOME = "https://community.icann.org/display/SSR"
S_SSR3_DEFERRAL = "https://archive.icann.org/historical-resolution-tracking-feature/deferral-third-review-security-stability-and-resiliency-domain-name-system.html"

# --- the review team ---------------------------------------------------------------------------------------
# The 16 members announced on 14 Feb 2017, named as ICANN's announcement of 30 Mar 2017 names them. The pages
# read give the appointing SO/AC only for the three GNSO appointees, the RSSAC nominee and the Board's member.
NOT_GIVEN = "an SO/AC (not given in the sources cited)"
MEMBERS_2017 = [
    ("alain-aina", "Alain Aina", NOT_GIVEN), ("boban-krsic", "Boban Krsic", NOT_GIVEN),
    ("cathy-handley", "Cathy Handley", NOT_GIVEN), ("denise-michel", "Denise Michel", "GNSO"),
    ("don-blumenthal", "Don M. Blumenthal", NOT_GIVEN), ("emily-taylor", "Emily Taylor", "GNSO"),
    ("eric-osterweil", "Eric Osterweil", "RSSAC"), ("geoff-huston", "Geoff Huston", NOT_GIVEN),
    ("jabhera-matogoro", "Jabhera Matogoro", NOT_GIVEN), ("james-gannon", "James Gannon", "GNSO"),
    ("kaveh-ranjbar", "Kaveh Ranjbar", "ICANN Board"), ("kerry-ann-barrett", "Kerry-Ann Barrett", NOT_GIVEN),
    ("mohamad-amin-hasbini", "Mohamad Amin Hasbini", NOT_GIVEN), ("noorul-ameen", "Noorul Ameen", NOT_GIVEN),
    ("ramkrishna-pariyar", "Ramkrishna Pariyar", NOT_GIVEN), ("zarko-kecic", "Žarko Kecić", NOT_GIVEN),
]
# Named in the 2018 meeting records but not on the 2017 roster; the GNSO listed McCormick, Bin Rais and Ritchie
# as its candidates to replace a departed GNSO appointee.
MEMBERS_2018 = [
    ("laurin-weissinger", "Laurin Weissinger", NOT_GIVEN), ("norm-ritchie", "Norm Ritchie", "GNSO"),
    ("scott-mccormick", "Scott McCormick", "GNSO"), ("naveed-bin-rais", "Rao Naveed bin Rais", "GNSO"),
    ("kc-claffy", "KC Claffy", NOT_GIVEN), ("russ-housley", "Russ Housley", NOT_GIVEN),
]

TOPICS = [
    ("icann-ssr", "ICANN internal security processes",
     "ICANN org's own security, stability and resiliency: information security, risk management, business "
     "continuity, compliance and the services ICANN operates."),
    ("dns-ssr", "Security of the unique identifiers ICANN coordinates",
     "Security, stability and resiliency of the DNS and the other unique identifiers ICANN coordinates, "
     "including the root zone, DNSSEC, registration data and DNS abuse."),
    ("ssr1-review", "SSR1 implementation review",
     "Assessment of the extent to which the 28 recommendations of the first SSR review were implemented "
     "and whether the implementation had the intended effect (Bylaws 4.6(c)(iv))."),
    ("future-challenges", "Future challenges",
     "Emerging threats and technologies that may challenge the security and stability of the identifier "
     "systems (Bylaws 4.6(c)(iii))."),
]

AREAS = {
    "icann-ssr": [
        ("isms", "Information security management system"),
        ("security-certifications", "Security certifications and external audits"),
        ("risk-management", "Enterprise risk management framework"),
        ("risk-register", "SSR risk register and risk reporting"),
        ("business-continuity", "Business continuity"),
        ("disaster-recovery", "Disaster recovery for ICANN operations"),
        ("vulnerability-disclosure", "Vulnerability disclosure"),
        ("incident-response", "Security incident response"),
        ("breach-notification", "Breach notification and transparency"),
        ("security-budget", "SSR-related budget transparency"),
        ("security-staffing", "Security staffing and skills"),
        ("c-suite-security", "Executive responsibility for security and risk"),
        ("internal-it-security", "Security of ICANN internal IT systems"),
        ("access-control", "Identity and access management at ICANN"),
        ("vendor-security", "Third-party and vendor security"),
        ("security-training", "Staff security awareness training"),
        ("contract-compliance", "Contractual compliance enforcement of SSR obligations"),
        ("compliance-transparency", "Transparency of compliance actions"),
        ("czds-access", "Centralized Zone Data Service access"),
        ("ebero", "Emergency back-end registry operator (EBERO) process"),
        ("registry-data-escrow", "Registry data escrow"),
        ("registrar-data-escrow", "Registrar data escrow"),
        ("tld-operator-comms", "Security of communications with TLD operators"),
        ("public-interest-negotiations", "Representation of the public interest in contract negotiations"),
        ("ssr-framework", "SSR framework and annual SSR plans"),
        ("octo-role", "Role and remit of the Office of the CTO"),
        ("pti-security", "Security of PTI and IANA functions operations"),
        ("l-root-operations", "Operation of the ICANN-managed root server (L-root)"),
        ("meeting-security", "Physical and network security at ICANN public meetings"),
        ("secure-software", "Secure development of ICANN-run applications"),
        ("naming-services-portal", "Security of the Naming Services portal"),
    ],
    "dns-ssr": [
        ("ksk-rollover", "Key signing key rollover"),
        ("root-zone-management", "Root zone management"),
        ("root-server-system", "Root server system resilience"),
        ("dns-abuse", "Abuse of the DNS"),
        ("abuse-definitions", "Definitions of DNS abuse"),
        ("abuse-reporting", "DNS abuse analysis and reporting"),
        ("abuse-complaints", "Abuse complaint handling and reporting"),
        ("name-collisions", "Name collisions"),
        ("dnssec-deployment", "DNSSEC deployment and validation"),
        ("algorithm-rollover", "DNSSEC algorithm rollover"),
        ("whois-rds", "Registration data services accuracy and access"),
        ("idn-security", "Security of internationalized domain names"),
        ("universal-acceptance", "Universal acceptance"),
        ("ip-address-registries", "Coordination with regional internet registries on number resources"),
        ("protocol-parameters", "Protocol parameter registries"),
        ("rzm-change-process", "Authentication of root zone change requests"),
        ("dns-regression-tests", "DNS regression test suite"),
        ("service-measurements", "Service level measurements for identifier services"),
        ("registry-failover", "Registry failover and continuity"),
        ("ddos-mitigation", "DDoS attacks against DNS infrastructure"),
        ("hijacking", "Domain name and registrar account hijacking"),
        ("zone-file-access", "Zone file access for researchers and responders"),
        ("open-resolvers", "Open resolvers and amplification attacks"),
        ("anycast-resilience", "Anycast deployment and resilience"),
        ("root-scaling", "Root zone scaling after new gTLD delegations"),
        ("tld-delegation-stability", "Stability effects of new TLD delegations"),
        ("special-use-names", "Interoperability of special-use domain names"),
    ],
    "ssr1-review": [(f"ssr1-rec-{n:02d}", f"Implementation of SSR1 Recommendation {n}") for n in range(1, 29)] + [
        ("ssr1-metrics", "Measures of the effectiveness of SSR1 implementation"),
        ("ssr1-reporting", "SSR1 implementation reporting to the community"),
    ],
    "future-challenges": [
        ("quantum-crypto", "Post-quantum cryptography for DNSSEC"),
        ("iot-identifiers", "Internet of things and identifier use"),
        ("blockchain-naming", "Blockchain-based alternative naming systems"),
        ("namespace-fragmentation", "Alternative roots and namespace fragmentation"),
        ("emerging-identifiers", "Emerging identifier technologies"),
        ("geopolitical-risks", "Geopolitical and legislative risks to the identifier systems"),
        ("centralization", "Consolidation of DNS resolution and hosting"),
        ("workforce", "Future security workforce and expertise"),
        ("threat-intelligence", "Threat intelligence sharing"),
        ("informing-policy", "Informing policy debates with SSR research"),
        ("next-gtld-round", "SSR implications of subsequent new gTLD rounds"),
        ("ipv6-transition", "IPv6 transition effects on the DNS"),
        ("crypto-agility", "Cryptographic agility of the identifier systems"),
        ("provisioning-evolution", "Evolution of registry-registrar provisioning protocols"),
        ("ai-abuse", "Automated large-scale abuse techniques"),
        ("root-server-governance", "Evolution of root server system governance"),
        ("local-root", "Local root (hyperlocal) deployment"),
        ("dns-privacy", "DNS privacy and query minimisation"),
    ],
}

# --- recommendations: the Final Report's 24 groups, 63 recommendations (texts paraphrased) ---------------
GROUPS = [
    (1, "Further implementation of SSR1 recommendations", ["ssr1-metrics", "ssr1-rec-01"], [
        "Complete the implementation of the SSR1 recommendations that SSR2 assessed as not fully implemented, and report on whether they had the intended effect."]),
    (2, "Create a C-suite position responsible for both strategic and tactical security and risk management", ["c-suite-security", "security-staffing"], [
        "Create a C-suite position responsible for both strategic and tactical security and risk management across ICANN org.",
        "Give that position responsibility for a dedicated security budget and security staff, with clear reporting lines.",
        "Have that position manage and publish ICANN org's security strategy and risk posture, reporting regularly to the Board.",
        "Have that position coordinate SSR-related engagement with the community and oversee SSR-related contracts."]),
    (3, "Improve SSR-related budget transparency", ["security-budget"], [
        "Publish the SSR-related elements of the budget and operating plan in a form the community can follow.",
        "Report SSR-related spending against budget, including the SSR functions of PTI and the Office of the CTO.",
        "Explain changes to SSR-related budgets through the public comment process on the operating plan and budget."]),
    (4, "Improve risk management processes and procedures", ["risk-management"], [
        "Continue and document ICANN org's risk management framework, aligned with recognised standards, and report on it.",
        "Name a single function accountable for enterprise SSR risk and give it authority across the organisation.",
        "Publish regular updates on the risk management framework and the risks it tracks, as far as security allows."]),
    (5, "Comply with appropriate information security management systems and security certifications", ["isms", "security-certifications"], [
        "Implement an information security management system and obtain external certification against a recognised standard.",
        "Require the critical services ICANN operates to follow the information security management system and be audited against it.",
        "Encourage contracted parties to adopt recognised security certifications and reflect this in agreements where possible.",
        "Publish the results of security audits and certifications, or summaries of them, on a regular schedule."]),
    (6, "SSR vulnerability disclosure and transparency", ["vulnerability-disclosure", "breach-notification"], [
        "Establish and publish a coordinated vulnerability disclosure process, including for vulnerabilities found in contracted parties' systems.",
        "Report annually on vulnerability disclosures and security incidents, with metrics, while protecting sensitive details."]),
    (7, "Improve business continuity and disaster recovery processes and procedures", ["business-continuity", "pti-security"], [
        "Establish a business continuity plan for all critical ICANN services, based on recognised standards.",
        "Extend the business continuity and disaster recovery plans to PTI and to the identifier services ICANN operates.",
        "Test the disaster recovery plans regularly, including failover between sites, and publish summaries of the tests.",
        "Establish an additional disaster recovery site away from the existing locations.",
        "Publish a summary of the business continuity and disaster recovery plans and of their review cycle."]),
    (8, "Enable and demonstrate representation of the public interest in negotiations with contracted parties", ["public-interest-negotiations"], [
        "Engage a neutral party to represent the public interest, including SSR, in negotiations with contracted parties."]),
    (9, "Monitor and enforce compliance", ["contract-compliance", "compliance-transparency"], [
        "Direct Contractual Compliance to monitor and enforce the SSR and abuse-related obligations of registries and registrars proactively.",
        "Give Contractual Compliance the tools and staff to use abuse data in proactive audits.",
        "Report on compliance actions related to DNS abuse in enough detail to judge their effect.",
        "Give Contractual Compliance the authority to act on contracted parties with persistently high levels of abuse."]),
    (10, "Provide clarity on definitions of abuse-related terms", ["abuse-definitions"], [
        "Publish a web page with the community-agreed definitions of abuse-related terms and keep it current.",
        "Create a community process to agree and update the definitions of DNS abuse and related terms.",
        "Use the agreed definitions consistently in contracts, reporting and compliance."]),
    (11, "Resolve CZDS data access problems", ["czds-access", "zone-file-access"], [
        "Resolve the problems of access to the Centralized Zone Data Service so that researchers and security responders keep uninterrupted access."]),
    (12, "Overhaul DNS abuse analysis and reporting efforts to enable transparency and independent review", ["abuse-reporting", "dns-abuse"], [
        "Create a DNS abuse analysis function with a clear scope, staffing and independence.",
        "Publish the data and methods behind DNS abuse reporting so that the results can be reproduced independently.",
        "Report abuse data per registry and registrar to inform compliance and policy.",
        "Work with researchers and other data providers to improve the measurement of abuse."]),
    (13, "Increase transparency and accountability of abuse complaint reporting", ["abuse-complaints"], [
        "Create a central abuse complaint portal that routes complaints to the responsible parties and tracks them.",
        "Publish statistics on the abuse complaints received and how they were resolved."]),
    (14, "Create a temporary specification for evidence-based security improvements", ["dns-abuse", "contract-compliance"], [
        "Create a temporary specification requiring contracted parties to keep abuse in their portfolios below set thresholds.",
        "Provide contracted parties with lists of the domains in their portfolios identified as abusive.",
        "Set a threshold of abuse at which Contractual Compliance opens an inquiry.",
        "Offer incentives to contracted parties with low levels of abuse.",
        "Review the effect of the temporary specification and report on it to the community."]),
    (15, "Launch an EPDP for evidence-based security improvements", ["dns-abuse"], [
        "Launch an expedited policy development process to make the security measures of the temporary specification permanent.",
        "Include in that process measures on registrant verification and the abuse-related obligations of resellers."]),
    (16, "Privacy requirements and RDS", ["whois-rds"], [
        "Provide consistent cross-references across ICANN's website to the privacy and registration data policies.",
        "Build privacy and data protection expertise within Contractual Compliance.",
        "Monitor and report on the effect of changes to registration data privacy on SSR."]),
    (17, "Measuring name collisions", ["name-collisions"], [
        "Create a framework to measure name collisions and their effects, and publish the measurements.",
        "Require contracted parties to report the name collision incidents they become aware of."]),
    (18, "Informing policy debates", ["informing-policy", "octo-role"], [
        "Track peer-reviewed research on DNS security and report on it to the community.",
        "Use that research, with the Office of the CTO, to inform SSR-related policy debates.",
        "Publish an annual report on the state of DNS security research relevant to ICANN's remit."]),
    (19, "Complete development of a DNS regression test suite", ["dns-regression-tests"], [
        "Complete the development of a DNS regression test suite for resolver and name server software.",
        "Make the regression test suite available to the community and maintain it."]),
    (20, "Formal procedures for key rollovers", ["ksk-rollover", "root-zone-management"], [
        "Create formal procedures for key rollovers, including the root KSK, with clear decision criteria.",
        "Exercise the rollover procedures and publish the lessons learned after each rollover."]),
    (21, "Improve the security of communications with TLD operators", ["tld-operator-comms", "rzm-change-process"], [
        "Implement authenticated, secure communication channels between ICANN org and TLD operators, including for root zone change requests."]),
    (22, "Service measurements", ["service-measurements", "root-server-system"], [
        "Publish service level measurements for the identifier-related services ICANN operates.",
        "Seek community feedback on the measurements and refine them over time."]),
    (23, "Algorithm rollover", ["algorithm-rollover", "dnssec-deployment"], [
        "Plan a DNSSEC algorithm rollover of the root zone with the root zone partners.",
        "Publish the algorithm rollover plan and coordinate it with the community."]),
    (24, "Improve transparency and end-to-end testing for the EBERO process", ["ebero", "registry-data-escrow"], [
        "Improve the transparency of the EBERO process, including by publishing test results.",
        "Conduct end-to-end tests of the EBERO process together with data escrow, and publish summaries."]),
]
RECS = []  # (recId, number "2.1", group title, text, areas)
for g, title, areas, texts in GROUPS:
    for i, text in enumerate(texts, 1):
        RECS.append((f"rec-{g}.{i}", f"{g}.{i}", title, text, areas))

# The Board's actions, recommendation by recommendation, as the SSR2 Review wiki page tabulates them.
BOARD_ACTIONS = [
    ("2021.07.22.11-13", "2021-07-22 18:00", S_RES_2021, "Second Security, Stability, and Resiliency (SSR2) Review Team Final Report",
     "The Board took action on each of the 63 recommendations of the SSR2 Final Report (resolutions 2021.07.22.11 - "
     "2021.07.22.13): 13 approved, subject to prioritization, risk assessment and mitigation, costing and implementation "
     "considerations; 16 rejected (6 because they could not be approved in full, 10 for the reasons given one by one); "
     "34 placed in pending status.", {
         "approved": "1.1 4.1 5.1 5.2 9.1 10.1 16.1 21.1 22.1 22.2 23.1 23.2 24.2",
         "pending": "3.1 3.2 3.3 4.3 5.3 5.4 6.1 6.2 7.1 7.2 7.3 7.4 7.5 9.2 9.3 11.1 12.1 12.2 12.3 12.4 13.1 13.2 14.2 "
                    "16.2 16.3 17.1 18.1 18.2 18.3 19.1 19.2 20.1 20.2 24.1",
         "rejected": "2.1 2.2 2.3 2.4 4.2 8.1 9.4 10.2 10.3 14.1 14.3 14.4 14.5 15.1 15.2 17.2"},
     "The resolution text gives the numbers 2021.07.22.11 - 2021.07.22.13 for the whole action; one ledger id stands for "
     "them rather than assuming which number carried which disposition. Time of day reconstructed."),
    ("board-2022-05-01", "2022-05-01 18:00", S_SCORECARD, "Board action on pending SSR2 recommendations",
     "The Board approved Recommendation 5.4 and rejected Recommendations 19.1 and 19.2, leaving 31 pending.",
     {"approved": "5.4", "rejected": "19.1 19.2"}, None),
    ("board-2022-11-16", "2022-11-16 18:00", S_SCORECARD, "Board action on pending SSR2 recommendations",
     "The Board approved Recommendations 3.2, 3.3, 5.3, 7.1, 7.2, 7.3, 7.5, 11.1 and 24.1 and rejected 3.1, 4.3, 6.1, "
     "6.2, 7.4, 16.2, 16.3, 18.1, 18.2, 18.3, 20.1 and 20.2, leaving 10 pending.",
     {"approved": "3.2 3.3 5.3 7.1 7.2 7.3 7.5 11.1 24.1", "rejected": "3.1 4.3 6.1 6.2 7.4 16.2 16.3 18.1 18.2 18.3 20.1 20.2"},
     None),
    ("board-2023-09-10", "2023-09-10 18:00", S_SCORECARD, "Board action on pending SSR2 recommendations",
     "The Board approved Recommendation 13.2 and rejected 9.2, 9.3, 12.1, 12.2, 12.3, 12.4, 13.1 and 14.2, leaving "
     "Recommendation 17.1 pending.",
     {"approved": "13.2", "rejected": "9.2 9.3 12.1 12.2 12.3 12.4 13.1 14.2"}, None),
]
LATER_NOTE = ("The wiki page gives the date and the recommendations; the resolution number is not given in the sources "
              "cited, so the id is the ledger's own; the time of day is reconstructed.")


def build():
    led = Ledger()
    ev, meeting = led.ev, led.meeting

    # ---- 2017: the Board's resolution, the team -------------------------------------------------------------
    ev("ReviewChartered", ts("2017-02-03 00:00"), {
        "reviewId": "ssr2",
        "name": "Second Security, Stability and Resiliency of the DNS Review (SSR2)",
        "mandate": "Periodic review of ICANN's execution of its commitment to enhance the operational stability, "
                   "reliability, resiliency, security and global interoperability of the systems and processes, "
                   "internal and external, that directly affect or are affected by the Internet's system of unique "
                   "identifiers that ICANN coordinates (ICANN Bylaws Section 4.6(c)).",
    }, S_RES_2021, note="Recorded as chartered on the day of the Board resolution 2017.02.03.11; every line of this file "
                        "cites the page that supports it and says in its note what is reconstructed (see data/README.md).")
    ev("BoardResolutionRecorded", ts("2017-02-03 12:00"), {
        "resolutionId": "2017.02.03.11",
        "title": "Appointment of Board Designees for New Specific Reviews: SSR2",
        "summary": "The Board appointed Kaveh Ranjbar to serve as a member of the SSR2 Review Team and asked the team to "
                   "develop and deliver its approved terms of reference and work plan by 30 March, so that its scope "
                   "and timeline are consistent with the Bylaws.",
        "directive": "deliver-terms-of-reference",
    }, S_RES_2017, note="Time of day reconstructed.")
    for mid, name, by in MEMBERS_2017:
        ev("MemberAppointed", ts("2017-02-14 12:00"), {"memberId": mid, "name": name, "appointedBy": by, "role": "member"},
           S_LEADERSHIP if mid != "kaveh-ranjbar" else S_RES_2017,
           note="Team of 16 announced on 14 Feb 2017 (the Board's resolution of 22 Jul 2021 recalls the date); names as "
                "ICANN's announcement of 30 Mar 2017 gives them. Time of day reconstructed." if mid == "alain-aina" else None)

    # ---- first plenary, ICANN58 Copenhagen: the first face-to-face ----------------------------------------------
    meeting("plenary-01", "Plenary call #1", "teleconference", "Adobe Connect (remote)",
            "2017-03-02 14:00", "2017-03-02 16:00", "2017-02-20 12:00", S_PLENARY_1,
            note="First plenary of 2 March 2017; times of day and scheduling date reconstructed.",
            attendees=["jabhera-matogoro", "noorul-ameen", "emily-taylor", "eric-osterweil", "ramkrishna-pariyar",
                       "zarko-kecic", "don-blumenthal", "alain-aina", "denise-michel", "cathy-handley",
                       "kerry-ann-barrett", "mohamad-amin-hasbini"], observers=9,
            held_note="Attendance as the meeting page lists it ('Zarko Krsic' read as Žarko Kecić).")
    meeting("icann58-public-consultation", "SSR2 public consultation at ICANN58, Copenhagen", "face-to-face",
            "Copenhagen, Denmark", "2017-03-12 12:45", "2017-03-12 14:00", "2017-03-02 16:00", S_PLENARY_1,
            note="Planned on the first plenary for 12 March 13:45-15:00 local time (CET).",
            held_note="Held as planned at ICANN58; the source is the plan on the 2 March call.")
    start = meeting("copenhagen-2017", "Face-to-face plenary meeting at ICANN58, Copenhagen", "face-to-face",
                    "Copenhagen, Denmark", "2017-03-15 07:30", "2017-03-15 15:45", "2017-03-02 16:00", S_ICANN58,
                    note="The team's first face-to-face meeting: 15 March 2017, 08:30-16:45 CET.",
                    attendees=["alain-aina", "boban-krsic", "cathy-handley", "denise-michel", "don-blumenthal",
                               "emily-taylor", "eric-osterweil", "geoff-huston", "jabhera-matogoro", "james-gannon",
                               "kerry-ann-barrett", "mohamad-amin-hasbini", "ramkrishna-pariyar", "zarko-kecic"],
                    observers=3)
    for k, (by, topic) in enumerate([
        ("ICANN Legal (Daniel Halloran)", "Overview of the review team's legal materials"),
        ("ICANN MSSI (Negar Farzinnia)", "Overview of the SSR1 recommendations and their implementation"),
        ("ICANN Office of the CTO (David Conrad)", "OCTO roadmap"),
        ("SIDN, Delft University of Technology and ICANN staff", "Statistical analysis of DNS abuse in gTLDs (SADAG)"),
        ("TNO, NLnet Labs and ICANN staff", "CDAR study of the root server system (L-root)"),
    ]):
        ev("StaffBriefingReceived", start + timedelta(hours=1, minutes=30 * k), {"by": by, "topic": topic}, S_ICANN58,
           meeting="copenhagen-2017", note="Presenters and topics from the meeting page; the time of each is reconstructed.")
    ev("TermsOfReferenceDrafted", start + timedelta(hours=6), {
        "version": "1.0", "title": "SSR2 Review Team Terms of Reference (first draft)",
        "summary": "First draft of the team's terms of reference, due to the Board on 30 March 2017 under resolution "
                   "2017.02.03.11; discussed at the Copenhagen plenary.",
    }, S_ICANN58, meeting="copenhagen-2017",
       note="The plenary's agenda has the terms of reference and their 30 March due date; that a first draft was "
            "discussed there, and the version number, are reconstructed (version 2 of 14 April implies a first).")

    # ---- leadership: three co-chairs, no vice-chair ------------------------------------------------------------
    for mid in ("denise-michel", "eric-osterweil", "emily-taylor"):
        ev("MemberRoleChanged", ts("2017-03-30 12:00"), {"memberId": mid, "role": "chair"}, S_LEADERSHIP,
           note="Announced 30 March 2017: the team agreed by consensus to leadership by three co-chairs (Denise Michel, "
                "GNSO; Eric Osterweil, RSSAC; Emily Taylor, GNSO). The ledger's role for a co-chair is 'chair'; time "
                "of day reconstructed." if mid == "denise-michel" else None)

    # ---- terms of reference v2, v3, adoption ------------------------------------------------------------------
    ev("TermsOfReferenceAmended", ts("2017-04-14 15:47"), {
        "version": "2.0", "basedOn": "1.0",
        "changes": ["Redline changes from team members accepted unless there was disagreement or objection",
                    "Comments that need further discussion kept open in the document"],
        "rationale": "Revised at the request of the review team and circulated for its discussion and input.",
    }, S_TOR_V2, note="Circulated by ICANN staff on 14 April 2017 (11:47 in the sender's time zone; UTC time reconstructed).")
    ev("TermsOfReferenceAmended", ts("2017-04-29 08:54"), {
        "version": "3.0", "basedOn": "2.0",
        "changes": ["Summary paragraphs reflecting on each element of the Bylaws mandate, noting uncertainties (e.g. on PTI)",
                    "Updated schedule: same end date, more time for fact finding and drafting",
                    "Proposed text on the responsibilities of team members",
                    "A closing section listing items proposed for deletion, for transparency"],
        "rationale": "Reflects the team's discussions on the Bylaws language; proposed by the co-chairs 'in the interests of "
                     "achieving forward motion', hoping to agree it on the next call.",
    }, S_TOR_V3)
    ev("TermsOfReferenceAdopted", ts("2017-05-02 14:00"), {"version": "3.0", "method": "consensus"}, S_TOR_ADOPTED,
       note="The co-chairs wrote on 5 Oct 2017 that the terms of reference were 'adopted by majority consensus'; the date "
            "(the call after version 3 was circulated, as its covering email hoped) is reconstructed.")

    # ---- Madrid: the second face-to-face --------------------------------------------------------------------
    start = meeting("madrid-2017", "Face-to-face meeting, Madrid", "face-to-face", "Madrid, Spain",
                    "2017-05-14 07:00", "2017-05-15 15:00", "2017-04-10 12:00", S_MADRID,
                    note="The action-item record has actions dated 14 and 15 May 2017 from the Madrid face-to-face meeting "
                         "(and a blog about it); hours and scheduling date reconstructed.")
    for i, (tid, title, desc) in enumerate(TOPICS):
        ev("TopicAreaAgreed", start + timedelta(minutes=45 + i), {"topicId": tid, "title": title, "description": desc},
           S_MADRID, meeting="madrid-2017",
           note="The record shows topic groups and subgroups (SSR1 Review, ICANN SSR, ...) formed from the team's list "
                "of scope topics at Madrid; topic descriptions are reconstructed." if i == 0 else None)
    n = 0
    for tid, lst in AREAS.items():
        for aid, title in lst:
            ev("AreaOfInterestIdentified", start + timedelta(minutes=60 + 2 * n), {"areaId": aid, "title": title, "topicId": tid},
               S_MADRID, meeting="madrid-2017",
               note="At Madrid the team put its SSR concerns into a shared document and circulated a list of potential scope "
                    "topics; the individual areas of interest here are reconstructed." if n == 0 else None)
            n += 1
    deferred_madrid = ["ksk-rollover", "quantum-crypto", "blockchain-naming", "iot-identifiers", "local-root",
                       "emerging-identifiers"]
    ev("ScopeDecided", ts("2017-05-15 13:00"), {
        "decisionId": "scope-2017-05-madrid",
        "changes": [{"areaId": a, "to": "deferred" if a in deferred_madrid else "in-scope"} for lst in AREAS.values() for a, _ in lst],
        "rationale": "Initial scoping from the list of potential scope topics: areas within the Bylaws 4.6(c) mandate are "
                     "taken into scope; areas tied to work under way elsewhere or to speculative technologies are deferred.",
        "basis": "Bylaws 4.6(c); ToR 3.0", "method": "consensus",
    }, S_MADRID, meeting="madrid-2017",
       note="Reconstructed: the record shows scope topics listed at Madrid, not a decision area by area.")

    # ---- subgroups; duplicates consolidated -------------------------------------------------------------------
    meeting("plenary-12", "Plenary call #12", "teleconference", "Adobe Connect (remote)",
            "2017-05-23 13:00", "2017-05-23 14:30", "2017-05-16 12:00", S_MADRID,
            note="Action items of the 23 May 2017 plenary; times and scheduling date reconstructed.")
    leads = {"icann-ssr": ["boban-krsic"], "ssr1-review": ["zarko-kecic"]}
    names = {"ssr1-review": "SSR1 Review subgroup", "icann-ssr": "ICANN SSR subgroup", "dns-ssr": "DNS SSR subgroup",
             "future-challenges": "Future Challenges subgroup"}
    t = ts("2017-05-23 13:30")
    for i, (sid, _, _) in enumerate(TOPICS):
        ev("SubteamFormed", t + timedelta(minutes=i), {"subteamId": sid, "name": names[sid], "members": leads.get(sid, [])},
           S_MADRID, meeting="plenary-12",
           note="Members volunteered for subtopics; the record names Boban Krsic for the ICANN SSR subgroup's work "
                "structure and Žarko Kecić for the SSR1 Review subgroup's work plan. Other members are not listed here."
                if i == 0 else None)
    merges = [
        {"areaId": "registrar-data-escrow", "to": "merged", "mergedInto": "registry-data-escrow"},
        {"areaId": "risk-register", "to": "merged", "mergedInto": "risk-management"},
        {"areaId": "disaster-recovery", "to": "merged", "mergedInto": "business-continuity"},
        {"areaId": "security-training", "to": "merged", "mergedInto": "security-staffing"},
        {"areaId": "ssr1-reporting", "to": "merged", "mergedInto": "ssr1-metrics"},
    ]
    ev("ScopeDecided", ts("2017-05-30 12:00"), {
        "decisionId": "scope-2017-05-consolidation", "changes": merges,
        "rationale": "Duplicative items consolidated and subheadings created for each topic group, so each concern is "
                     "assessed once.",
        "basis": "ToR 3.0", "method": "consensus", "supersedes": "scope-2017-05-madrid",
    }, S_MADRID, note="The 23 May 2017 plenary asked the team to consolidate duplicative items by 30 May; which areas "
                      "were merged, and the method, are reconstructed.")
    for i, (sid, _, _) in enumerate(TOPICS):
        ev("AreasAssignedToSubteam", ts("2017-05-30 12:05") + timedelta(minutes=i),
           {"subteamId": sid, "areaIds": [a for a, _ in AREAS[sid] if a not in deferred_madrid and a not in
                                          {m["areaId"] for m in merges}]},
           S_MADRID, note="Each subgroup took its topic's areas; the assignment is reconstructed." if i == 0 else None)

    # ---- the Board's comments on the terms of reference; Johannesburg -----------------------------------------
    ev("DeliveredToBoard", ts("2017-06-01 12:00"), {
        "deliveryId": "del-tor-3.0", "deliverable": "terms-of-reference", "version": "3.0", "inResponseTo": "2017.02.03.11",
    }, S_BOARD_ON_TOR, note="The Board commented in June 2017 on SSR2's adopted terms of reference, so they had been "
                            "delivered; the delivery date is reconstructed.")
    ev("BoardResolutionRecorded", ts("2017-06-23 12:00"), {
        "resolutionId": "letter-2017-06-23", "title": "Board response on the SSR2 terms of reference",
        "summary": "Letter from the Board's member on the team (23 June 2017) with the Board's comments on the adopted terms "
                   "of reference: show how the objectives fit the time and resources available, say how success will be "
                   "measured, prioritize a long list of items, verify that the scope falls within ICANN's Mission, aim at "
                   "SMART recommendations and stay within the approved budget.",
    }, S_LETTERS, note="Not a numbered resolution: a Board letter (ranjbar-to-ssr2-rt-23jun17), recorded as one so "
                       "later entries can cite it; the summary follows ICANN staff's reading of it (" + S_BOARD_ON_TOR + ").")
    meeting("johannesburg-2017", "Face-to-face meeting at ICANN59, Johannesburg", "face-to-face", "Johannesburg, South Africa",
            "2017-06-26 07:00", "2017-06-26 15:00", "2017-05-23 14:30", S_ICANN59,
            note="ICANN59 ran 26-29 June 2017 (ICANNWiki); the 23 May 2017 plenary prepared the team's Johannesburg agenda "
                 "(" + S_MADRID + "). Day and hours reconstructed.",
            held_note="Held during ICANN59; the day is reconstructed.")
    ev("MemberDeparted", ts("2017-07-16 12:00"), {
        "memberId": "emily-taylor", "reason": "Resigned from the review team (GNSO appointee and co-chair).",
    }, S_GNSO_SSR2, note="The GNSO Council's record: 'On 16 July 2017, Emily Taylor submitted her resignation to the "
                         "SSR2-RT'. Time of day reconstructed.")

    # ---- autumn 2017: concerns, Abu Dhabi, the pause ----------------------------------------------------------
    ev("CommunityInputReceived", ts("2017-10-03 12:00"), {
        "inputId": "ci-2017-10-ssac-letter", "channel": "mailing-list", "from": "SSAC",
        "summary": "SSAC letter of 3 October 2017 to the Board raising concerns about the SSR2 review, later raised by "
                   "the SSAC Chair with SO/AC leaders at ICANN60.",
    }, S_SSAC_LETTER, note="A letter, circulated on community lists; the channel is the nearest the ledger has. Time of "
                           "day reconstructed.")
    start = meeting("abu-dhabi-2017", "Face-to-face meeting at ICANN60, Abu Dhabi", "face-to-face", "Abu Dhabi, UAE",
                    "2017-10-27 05:00", "2017-10-27 13:30", "2017-10-25 02:34", S_ABU_DHABI,
                    note="Draft agenda of 25 Oct 2017: Friday 27 October, 09:00-17:30 local time, with the subgroups' "
                         "progress (SSR1 Review, ICANN SSR, ...) on the agenda.",
                    held_note="A GNSO councillor wrote on 14 Nov 2017 of 'the work that they did the last day of the "
                              "meeting' (" + S_COUNCIL_NOV_2017 + ").")
    ev("BoardResolutionRecorded", ts("2017-10-28 10:55"), {
        "resolutionId": "letter-2017-10-28", "title": "Board letter suspending the work of the SSR2 Review Team",
        "summary": "In consideration of concerns received, the Board asked the SSR2 Review Team to suspend its work pending "
                   "input from the SOs and ACs on any need to adjust the scope, terms of reference, work plan, skill set "
                   "or resources of the review.",
        "directive": "pause-review",
    }, S_RES_2021, note="Not a numbered resolution: the Board's letter of 28 Oct 2017 (crocker-to-ssr2-28oct17), forwarded "
                        "to community leaders at 14:55 +04:00 (" + S_SSAC_LETTER + "); the id is the ledger's own.")
    ev("ReviewPaused", ts("2017-10-28 11:00"), {
        "reason": "Board letter of 28 October 2017 suspending the review pending SO/AC input on scope, terms of reference, "
                  "work plan, skills and resources.",
        "resolutionId": "letter-2017-10-28",
    }, S_RES_2021, note="Effective on receipt of the Board's letter; time of day reconstructed.")
    ev("CommunityInputReceived", ts("2017-10-31 12:25"), {
        "inputId": "ci-2017-10-ncsg", "channel": "meeting", "from": "NCSG (meeting with SSR2 at ICANN60)",
        "summary": "Questions on the suspension and how fast it was decided, on the team's weaknesses and what it would work "
                   "on if it resumed, and concern both about a non-functioning team and about an arbitrary Board action.",
    }, S_NCSG)

    # ---- the pause ----------------------------------------------------------------------------------------
    ev("CommunityInputReceived", ts("2018-02-12 12:00"), {
        "inputId": "ci-2018-02-soac-chairs", "channel": "mailing-list", "from": "SO/AC Chairs",
        "summary": "Statement of the SO/AC Chairs on the status of the SSR2 review, sent to the team's list; with it, "
                   "letters asking for more staff support and (15 Feb 2018) for an external facilitator, and a process "
                   "to appoint new members.",
    }, S_SOAC_2018, note="Sent on 12-13 Feb 2018 (the statement is dated 2018-02-12); time of day reconstructed.")
    for mid, name, by in MEMBERS_2018:
        ev("MemberAppointed", ts("2018-04-30 12:00"), {"memberId": mid, "name": name, "appointedBy": by, "role": "member"},
           S_RESTART, note="The restart announcement says the SO/ACs appointed four new members in April 2018 for skills "
                           "the team needed; the July-August 2018 meeting records (" + S_M37 + ", " + S_DC + ") list these six "
                           "members who were not on the 2017 roster, the others replacing departed GNSO appointees ("
                           + S_GNSO_SSR2 + "). Dates and appointing SO/ACs other than the GNSO's are reconstructed."
           if mid == "laurin-weissinger" else None)
    for mid in ("cathy-handley", "don-blumenthal", "james-gannon"):
        ev("MemberDeparted", ts("2018-06-01 12:00"), {
            "memberId": mid, "reason": "Not on the review team's roster when it restarted in 2018.",
        }, S_M37, note="Absent from the 2018 meeting records (members and apologies); when and why they left is not in the "
                       "sources cited, so the date is reconstructed." if mid == "cathy-handley" else None)

    # ---- restart --------------------------------------------------------------------------------------------
    ev("ReviewResumed", ts("2018-06-07 12:00"), {
        "reason": "Formal restart of the review, marked by new members on the roster and an external facilitator (Phil "
                  "Khoury) engaged to help the team relaunch, in response to the SO/AC chairs' letters of 15 February and "
                  "13 March 2018.",
    }, S_RESTART, note="Announced 7 June 2018 (announcement-2-2018-06-07); no Board resolution is cited for the restart. "
                       "Time of day reconstructed.")
    meeting("plenary-37", "Plenary call #37", "teleconference", "Adobe Connect (remote)",
            "2018-07-19 20:00", "2018-07-19 21:30", "2018-07-12 12:00", S_M37,
            note="Plenary of 19 July 2018 at 20:00 UTC with the facilitator; end time and scheduling date reconstructed.",
            attendees=["alain-aina", "denise-michel", "eric-osterweil", "kaveh-ranjbar", "kerry-ann-barrett",
                       "laurin-weissinger", "noorul-ameen", "norm-ritchie", "ramkrishna-pariyar"], observers=1)
    meeting("barcelona-2018", "Face-to-face meeting at ICANN63, Barcelona", "face-to-face", "Barcelona, Spain",
            "2018-10-21 07:00", "2018-10-24 16:00", "2018-07-19 21:00", S_BARCELONA,
            note="Decided on 19 July 2018 (" + S_M37 + "): a two-day meeting before ICANN63 was requested for 18-19 "
                 "October; on 30 August the team kept 21 and 24 October as placeholder days (" + S_M41 + "). The sources "
                 "cited do not say whether or when it was held, so it stays scheduled here.", held=False)

    # ---- Washington DC, 22-24 August 2018 ---------------------------------------------------------------------
    start = meeting("washington-2018", "Face-to-face meeting, Washington DC", "face-to-face", "Washington, DC, United States",
                    "2018-08-22 13:00", "2018-08-24 21:00", "2018-07-19 21:00", S_DC,
                    note="22-24 August 2018 with the facilitator; day 1 13:00-20:30 UTC, day 2 13:00-21:00 UTC; the end of "
                         "day 3 is reconstructed.",
                    attendees=["scott-mccormick", "alain-aina", "ramkrishna-pariyar", "zarko-kecic", "denise-michel",
                               "eric-osterweil", "norm-ritchie", "naveed-bin-rais", "kc-claffy", "laurin-weissinger",
                               "russ-housley", "kaveh-ranjbar", "kerry-ann-barrett", "jabhera-matogoro", "boban-krsic"],
                    observers=0, held_note="Members present over days 1 and 2, some remotely; remote observation was not offered.")
    t = ts("2018-08-23 15:00")
    ev("MemberRoleChanged", t, {"memberId": "russ-housley", "role": "chair"}, S_TOR_SENT, meeting="washington-2018",
       note="The letter of 5 Sep 2018, sent on behalf of 'Russ Housley, Chair', says the team selected its leadership at "
            "the Washington meeting and agreed on it unanimously; the time is reconstructed.")
    for mid in ("denise-michel", "eric-osterweil"):
        ev("MemberRoleChanged", t, {"memberId": mid, "role": "member"}, S_TOR_SENT, meeting="washington-2018",
           note="The 2017 co-chair roles ended with the new leadership; what other leadership roles the 5 Sep 2018 letter "
                "describes is not in the copy read, so none is recorded." if mid == "denise-michel" else None)
    ev("TermsOfReferenceAmended", t + timedelta(minutes=30), {
        "version": "4.0", "basedOn": "3.0",
        "changes": ["Deleted the phrase in parenthesis '(the elements that are within ICANN's authoritative scope)' and the "
                    "word 'clearly' from the scope text",
                    "Adopted a consensus methodology and the roles and responsibilities of the leadership"],
        "rationale": "Decisions of the Washington DC meeting after the restart, working through concerns about membership "
                     "and scope with the facilitator.",
    }, S_DC_DECISIONS, meeting="washington-2018",
       note="Decisions recorded on day 2 (23 August); the record shows qualifiers removed from the scope text, not the "
            "scope narrowed. Time of day and version number reconstructed.")

    # ---- plenary #41: terms final, subgroups inlined --------------------------------------------------------
    t = meeting("plenary-41", "Plenary call #41", "teleconference", "Adobe Connect (remote)",
                "2018-08-30 14:00", "2018-08-30 15:00", "2018-08-24 21:00", S_M41,
                note="Scheduling date reconstructed.",
                attendees=["kaveh-ranjbar", "laurin-weissinger", "ramkrishna-pariyar", "zarko-kecic", "alain-aina",
                           "naveed-bin-rais", "denise-michel", "boban-krsic", "eric-osterweil", "scott-mccormick",
                           "jabhera-matogoro", "kerry-ann-barrett", "norm-ritchie"])
    ev("TermsOfReferenceAdopted", t + timedelta(minutes=20), {"version": "4.0", "method": "consensus"}, S_M41,
       meeting="plenary-41", note="'Team finalized Terms of Reference document - agreed to accept tracked changes in last "
                                  "version circulated to the list and call it final.' Method and time reconstructed.")
    for i, (sid, _, _) in enumerate(TOPICS):
        ev("SubteamDissolved", t + timedelta(minutes=30 + i), {
            "subteamId": sid, "reason": "The team inlined its former subteams at plenary level, starting with SSR1.",
        }, S_M41, meeting="plenary-41")
    ev("DeliveredToBoard", ts("2018-09-05 18:23"), {
        "deliveryId": "del-tor-4.0", "deliverable": "terms-of-reference", "version": "4.0",
    }, S_TOR_SENT, note="The updated scope/terms of reference were sent to SO, AC, SG and C leaders and the ICANN Board.")

    t = meeting("plenary-43", "Plenary call #43", "teleconference", "Adobe Connect (remote)",
                "2018-09-13 14:00", "2018-09-13 15:00", "2018-09-06 12:00", S_M43,
                note="Times and scheduling date reconstructed.",
                attendees=["alain-aina", "eric-osterweil", "kaveh-ranjbar", "ramkrishna-pariyar", "boban-krsic",
                           "denise-michel", "laurin-weissinger", "zarko-kecic", "russ-housley", "scott-mccormick",
                           "kerry-ann-barrett", "kc-claffy", "naveed-bin-rais"])
    ev("ScopeDecided", t + timedelta(minutes=40), {
        "decisionId": "scope-2018-09-ksk", "changes": [{"areaId": "ksk-rollover", "to": "in-scope"}],
        "rationale": "SSR2 to include the DNS root KSK roll process in relation to organizational risk management (ICANN "
                     "SSR) and a post-mortem of the KSK roll (DNS SSR).",
        "basis": "ToR 4.0", "method": "consensus",
    }, S_M43, meeting="plenary-43", note="Decision reached on 13 Sep 2018 (clarification was later sought from the team); "
                                         "method and time reconstructed.")
    meeting("plenary-51", "Plenary call #51", "teleconference", "Adobe Connect (remote)",
            "2018-11-15 15:00", "2018-11-15 16:00", "2018-11-08 12:00", S_M51, note="Scheduling date reconstructed.",
            attendees=["ramkrishna-pariyar", "noorul-ameen", "alain-aina", "norm-ritchie", "scott-mccormick", "zarko-kecic",
                       "naveed-bin-rais", "eric-osterweil", "denise-michel", "boban-krsic", "laurin-weissinger"], observers=1)

    # ---- 2019: work plan, meetings planned --------------------------------------------------------------------
    meeting("montreal-2019", "Face-to-face meeting at ICANN66, Montreal", "face-to-face", "Montreal, Canada",
            "2019-11-01 13:00", "2019-11-02 21:00", "2019-07-11 14:00", S_DECISIONS,
            note="On 11 July 2019 the team decided to request face-to-face meetings in Montreal on 1 and 2 November. Hours "
                 "reconstructed; the sources cited do not say whether it was held, so it stays scheduled.", held=False)
    t = meeting("plenary-84", "Plenary call #84", "teleconference", "Zoom (remote)",
                "2019-09-25 14:00", "2019-09-25 15:00", "2019-07-11 14:00", S_DECISIONS,
                note="Weekly plenaries on Wednesdays at 14:00 UTC from July 2019 (team decision of 11 July 2019).")
    ev("WorkPlanAdopted", t + timedelta(minutes=30), {
        "version": "2019-09",
        "items": [
            {"itemId": "f2f-montreal", "title": "Face-to-face meeting, Montreal", "due": "2019-11-02"},
            {"itemId": "f2f-january", "title": "Face-to-face meeting, end of January", "due": "2020-01-31"},
            {"itemId": "f2f-cancun", "title": "Face-to-face meeting, Cancún", "due": "2020-03-06"},
            {"itemId": "review-finished", "title": "Review finished", "due": "2020-09-30"},
        ],
    }, S_DECISIONS, meeting="plenary-84",
       note="'The team agreed to adopt work plan updates' (25 Sep 2019); the items follow the leadership's plan of 26 Aug "
            "2019 (finish by September 2020, four face-to-face meetings), with due days reconstructed.")
    meeting("washington-2020", "Face-to-face meeting, Washington DC", "face-to-face", "Washington, DC, United States",
            "2020-01-16 14:00", "2020-01-17 22:00", "2019-09-11 14:00", S_ACTIONS_2019,
            note="Proposed on 11 Sep 2019 for 16-17 January 2020; on 27 Nov 2019 members were asked whether their "
                 "arrangements for it were outstanding (" + S_M92 + "). Hours reconstructed; the sources cited do not say "
                 "whether it was held, so it stays scheduled.", held=False)
    meeting("plenary-92", "Plenary call #92", "teleconference", "Zoom (remote)",
            "2019-11-27 15:00", "2019-11-27 16:00", "2019-11-20 12:00", S_M92, note="Scheduling date reconstructed.",
            attendees=["alain-aina", "denise-michel", "russ-housley", "norm-ritchie", "eric-osterweil", "laurin-weissinger",
                       "scott-mccormick"], observers=2)
    meeting("cancun-2020", "Face-to-face meeting at ICANN67, Cancún", "face-to-face", "Cancún, Mexico",
            "2020-03-05 14:00", "2020-03-06 22:00", "2019-12-16 12:00", S_DECISIONS,
            note="Leadership confirmed on 16 Dec 2019 to plan the two-day meeting in Cancún on 5 and 6 March; hours "
                 "reconstructed.", held=False)

    # ---- 2020: draft report, public comment ---------------------------------------------------------------------
    for k, (rid, num, title, text, areas) in enumerate(RECS):
        ev("RecommendationDrafted", ts("2020-01-24 10:00") + timedelta(seconds=10 * k), {
            "recommendationId": rid, "title": f"Recommendation {num}: {title}", "text": text, "areaIds": areas,
        }, S_FINAL, note="Recommendations were drafted for the draft report of 24 Jan 2020; numbers and group titles are the "
                         "Final Report's, texts are paraphrased and the areas cited are reconstructed." if k == 0 else None)
    ev("DeliveredToBoard", ts("2020-01-24 12:00"), {"deliveryId": "del-draft-report", "deliverable": "draft-report"},
       S_DRAFT_PC, note="The draft report was published for public comment on 24 Jan 2020 (ssr2-rt-draft-report-2020-01-24); "
                        "recorded as a delivery.")
    ev("MeetingCancelled", ts("2020-02-19 12:00"), {
        "reason": "ICANN67 in Cancún became a remote-participation-only meeting (COVID-19), announced 19 February 2020.",
    }, S_ICANN67, meeting="cancun-2020",
       note="The team met remotely on 6 March 2020 instead (plenary #103).")
    meeting("plenary-103", "Plenary call #103", "teleconference", "Zoom (remote)",
            "2020-03-06 14:00", "2020-03-06 16:00", "2020-02-26 12:00", S_DECISIONS,
            note="Decision of 6 March 2020: a table of the SMART criteria for each recommendation. Times and scheduling "
                 "date reconstructed.")
    ev("CommunityInputReceived", ts("2020-03-19 12:00"), {
        "inputId": "ci-2020-03-sac110", "channel": "public-comment", "from": "SSAC (SAC110)",
        "summary": "SSAC comments on the draft report: general comments on the review and specific comments on individual "
                   "recommendations, with strongly held mixed opinions within SSAC on parts of the report.",
    }, S_SAC110, note="Published 19 March 2020; the public comment period, extended by the leadership on 2 March, closed on "
                      "20 March 2020 (" + S_SAC110_STATUS + ").")
    meeting("plenary-111", "Plenary call #111", "teleconference", "Zoom (remote)",
            "2020-05-27 14:00", "2020-05-27 15:00", "2020-05-20 12:00", S_M111,
            note="Agreed the update blog announcing a new completion date of October 2020; scheduling date reconstructed.",
            attendees=["kaveh-ranjbar", "laurin-weissinger", "ramkrishna-pariyar", "russ-housley", "scott-mccormick",
                       "kerry-ann-barrett", "denise-michel", "naveed-bin-rais", "jabhera-matogoro", "kc-claffy"],
            held_note="Danko Jevtović, also listed, is not recorded as a member in this ledger (his appointment is not in "
                      "the sources cited).")

    # ---- 2021: final report --------------------------------------------------------------------------------
    for k, (rid, num, _, _, _) in enumerate(RECS):
        ev("RecommendationAdopted", ts("2021-01-25 10:00") + timedelta(seconds=10 * k),
           {"recommendationId": rid, "consensus": "full consensus"}, S_FINAL,
           note="The Final Report 'contains 63 full consensus recommendations'; the day the team adopted them is "
                "reconstructed as the day it was sent." if k == 0 else None)
    ev("DeliveredToBoard", ts("2021-01-25 12:00"), {"deliveryId": "del-final-report", "deliverable": "final-report"},
       S_FINAL, note="Sent by the Chair to the ICANN Board Chair on 25 January 2021 (date per " + S_SCORECARD + ").")
    ev("CommunityInputReceived", ts("2021-03-09 23:59"), {
        "inputId": "ci-2021-final-report-comment", "channel": "public-comment",
        "from": "Public comment proceeding on the SSR2 Final Report",
        "summary": "Public comment on the Final Report, open 28 January - 9 March 2021, before the Board's consideration; "
                   "the submissions are not itemized here.",
    }, S_FINAL_PC, note="Recorded at the close of the period; the hour is reconstructed.")

    # ---- the Board's actions, 2021-2023 ----------------------------------------------------------------------
    by_number = {num: rid for rid, num, _, _, _ in RECS}
    for res_id, at, source, title, summary, actions, note in BOARD_ACTIONS:
        t = ts(at)
        ev("BoardResolutionRecorded", t, {"resolutionId": res_id, "title": title, "summary": summary,
                                          "directive": "act-on-recommendations"},
           source, note=note or LATER_NOTE)
        k = 0
        for action, numbers in actions.items():
            for num in numbers.split():
                ev("BoardActedOnRecommendation", t, {
                    "recommendationId": by_number[num], "action": action, "resolutionId": res_id,
                }, S_SCORECARD)
                k += 1
    ev("BoardResolutionRecorded", ts("2022-03-10 18:00"), {
        "resolutionId": "board-2022-03-10-ssr3-deferral",
        "title": "Deferral of the Third Review of Security, Stability and Resiliency of the DNS",
        "summary": "With SSR2 completed and acted on, and the Board's approval of ATRT3 Recommendation 3.3 on suspending "
                   "SSR reviews pending the next ATRT, the Board deferred the third SSR review.",
        "directive": "defer-next-review",
    }, S_SSR3_DEFERRAL, note="Date from the SSR wiki (" + S_SSR_HOME + "); resolution number not given there, so the id is "
                             "the ledger's own; time of day reconstructed.")
    return led


if __name__ == "__main__":
    sys.exit(main(build, OUT))
