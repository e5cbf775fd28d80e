#!/usr/bin/env python3
"""Writes data/ssr2.ndjson: the history of ICANN's Second Security, Stability and Resiliency of the DNS
Review (SSR2) as ledger entries, one {"type", "data"} object a line, in effective-time order.

    python3 data/generate_ssr2.py           # (re)write data/ssr2.ndjson next to this script
    python3 data/generate_ssr2.py --check   # re-read the file and check it against the ledger's rules

Standard library only; the output is deterministic (no clocks, no randomness).

Provenance. Dates, meetings named below, Board resolutions, the pause and restart, the 63
recommendations and the Board's action on each one (the SSR2 scorecard) follow the public record:
the SSR wiki (https://community.icann.org/display/SSR/), ICANN Board resolutions and ICANN
correspondence. Member names are placeholders ("Member 01 (ALAC)"); areas of interest, decision
wording, attendance, community-input summaries, work-plan items and recommendation texts are plausible
reconstructions. Every line says which it is in its "source" (a URL for the public record,
"reconstructed" otherwise) and, where it mixes the two, in its "note".
"""
import json
import re
import sys
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "ssr2.ndjson"

# --- sources -------------------------------------------------------------------------------------
WIKI = "https://community.icann.org/display/SSR/"
WIKI_SSR2 = "https://community.icann.org/display/SSR/SSR2+Review"  # Board action scorecard
RES_2017 = "https://www.icann.org/resources/board-material/resolutions-2017-02-03-en"
RES_2021 = "https://www.icann.org/resources/board-material/resolutions-2021-07-22-en"
RES_2021_FEATURES = "https://features.icann.org/second-security-stability-and-resiliency-ssr2-review-team-final-report"
REVIEW_PAGE = "https://www.icann.org/resources/reviews/specific-reviews/ssr"
LIST = "https://mm.icann.org/pipermail/ssr2-review/"
SOAC_2018 = "https://lists.icann.org/hyperkitty/list/council@icann.org/message/SRIKBQR45XC3UBHZGFNT3LLYDLWOT3ZT/"
SSAC_2017 = "https://lists.icann.org/hyperkitty/list/council@icann.org/message/L7OPWFJVSOTH45IUUUA5UXW7WWAZ2KR4/"
REC = "reconstructed"


def wiki_and(detail, what="date"):
    return f"{WIKI} ({what}); {detail} reconstructed"


# --- time helpers --------------------------------------------------------------------------------
def ts(s):
    """'2017-05-14 09:00' -> aware datetime in UTC."""
    return datetime.strptime(s, "%Y-%m-%d %H:%M").replace(tzinfo=timezone.utc)


def iso(dt):
    return dt.strftime("%Y-%m-%dT%H:%M:%SZ")


# --- the ledger being built ----------------------------------------------------------------------
EVENTS = []  # (effectiveAt datetime, insertion index, type, data)


def ev(type_, at, fields, meeting=None, source=REC, note=None):
    data = {"effectiveAt": iso(at)}
    data.update(fields)
    if meeting is not None:
        data["meetingId"] = meeting
    if source is not None:
        data["source"] = source
    if note is not None:
        data["note"] = note
    EVENTS.append((at, len(EVENTS), type_, data))


# --- members -------------------------------------------------------------------------------------
# 16 members announced on 14 Feb 2017 (public record: count and appointing SO/ACs; names are placeholders).
MEMBERS = [
    ("m01-alac", "ALAC"), ("m02-alac", "ALAC"), ("m03-alac", "ALAC"),
    ("m04-ccnso", "ccNSO"), ("m05-ccnso", "ccNSO"), ("m06-ccnso", "ccNSO"),
    ("m07-gac", "GAC"),
    ("m08-gnso", "GNSO"), ("m09-gnso", "GNSO"), ("m10-gnso", "GNSO"),
    ("m11-rssac", "RSSAC"), ("m12-rssac", "RSSAC"),
    ("m13-ssac", "SSAC"), ("m14-ssac", "SSAC"), ("m15-ssac", "SSAC"),
    ("m16-board", "ICANN Board"),
]
LATE_MEMBERS = [("m17-gnso", "GNSO"), ("m18-ccnso", "ccNSO")]  # replacements appointed in 2018
JOINED = {}
LEFT = {}


def member_name(mid, by):
    return f"Member {mid[1:3]} ({by})"


def active_members(at):
    return [m for m, t in JOINED.items() if t <= at and not (m in LEFT and LEFT[m] <= at)]


def attendees(at, k):
    """Deterministic attendance: the active members minus a few, rotating with k."""
    active = sorted(active_members(at))
    absent = {active[(k * 5 + j * 7) % len(active)] for j in range(k % 4)}
    return [m for m in active if m not in absent]


# --- meetings ------------------------------------------------------------------------------------
MEETING_K = [0]


def meeting(mid, title, fmt, location, starts, ends, scheduled_on, observers, source=REC, note=None,
            held=True, held_source=None):
    s, e = ts(starts), ts(ends)
    ev("MeetingScheduled", ts(scheduled_on),
       {"title": title, "format": fmt, "location": location, "startsAt": iso(s), "endsAt": iso(e)},
       meeting=mid, source=source, note=note)
    if held:
        MEETING_K[0] += 1
        src = held_source or source
        ev("MeetingHeld", s, {"attendees": attendees(s, MEETING_K[0]), "observers": observers},
           meeting=mid, source=src if src == REC else f"{src} (meeting held); attendance reconstructed",
           note=None if src == REC else "Attendance and observer count are reconstructed.")
    return s


def call(day, title, observers, source=REC, note=None, held=True, scheduled_days_before=7, hour="14:00"):
    """A plenary teleconference (two hours) on the given day."""
    mid = f"plenary-{day}"
    start = f"{day} {hour}"
    end_dt = ts(start) + timedelta(hours=2)
    sched = ts(f"{day} 09:00") - timedelta(days=scheduled_days_before)
    meeting(mid, title, "teleconference", "Adobe Connect (remote)", start, end_dt.strftime("%Y-%m-%d %H:%M"),
            sched.strftime("%Y-%m-%d %H:%M"), observers, source=source, note=note, held=held,
            held_source=REC)
    return mid, ts(start)


# --- topics and areas of interest ----------------------------------------------------------------
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
# Identified later, at the Washington DC meeting in August 2018.
LATE_AREAS = [
    ("dns-ssr", "gdpr-rds", "Privacy requirements and registration data after the GDPR"),
    ("future-challenges", "dns-over-https", "DNS over HTTPS and encrypted DNS transport"),
]
TOPIC_OF = {a: t for t, lst in AREAS.items() for a, _ in lst}
TOPIC_OF.update({a: t for t, a, _ in LATE_AREAS})

# --- recommendations: the Final Report's 24 groups, 63 recommendations ---------------------------
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
    (16, "Privacy requirements and RDS", ["gdpr-rds", "whois-rds"], [
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
        RECS.append((f"rec-{len(RECS) + 1}", f"{g}.{i}", title, text, areas))

# Board action of 22 July 2021: the counts (13/34/16) are public record; which recommendation got which
# action was compiled from recollection of the SSR2 scorecard and not checked against it here.
APPROVED = "1.1 4.1 5.1 5.2 9.1 10.1 16.1 21.1 22.1 22.2 23.1 23.2 24.2".split()
PENDING = ("3.1 3.2 3.3 4.3 5.3 5.4 6.1 6.2 7.1 7.2 7.3 7.4 7.5 9.2 9.3 11.1 12.1 12.2 12.3 12.4 13.1 13.2 "
           "14.2 16.2 16.3 17.1 18.1 18.2 18.3 19.1 19.2 20.1 20.2 24.1").split()
REJECTED = "2.1 2.2 2.3 2.4 4.2 8.1 9.4 10.2 10.3 14.1 14.3 14.4 14.5 15.1 15.2 17.2".split()
ACTION_RESOLUTION = {"approved": "2021.07.22.11", "rejected": "2021.07.22.12", "pending": "2021.07.22.13"}


def build():
    EVENTS.clear()
    JOINED.clear()
    LEFT.clear()
    MEETING_K[0] = 0

    # ---- 2017: charter, Board resolution, team ------------------------------------------------
    ev("ReviewChartered", ts("2017-02-03 00:00"), {
        "reviewId": "ssr2",
        "name": "Second Security, Stability and Resiliency of the DNS Review (SSR2)",
        "mandate": "Periodic review of ICANN's execution of its commitment to enhance the operational stability, "
                   "reliability, resiliency, security and global interoperability of the systems and processes, "
                   "internal and external, that directly affect or are affected by the Internet's system of unique "
                   "identifiers that ICANN coordinates, under ICANN Bylaws Section 4.6(c).",
    }, source=WIKI, note=(
        "Provenance of this file: dates, meetings named in the public record (first plenary, Madrid, Johannesburg, "
        "Washington DC, plenary #41), Board resolutions, the October 2017 pause and June 2018 restart, the count "
        "of 63 recommendations and the Board's 13 approved / 34 pending / 16 rejected follow the public record of "
        "SSR2 (ICANN community wiki, Board resolutions and correspondence); which recommendation received which "
        "action, and which resolution carried it, is a best-effort recollection not verified against the record. Individual areas of interest, member names (placeholders), "
        "attendance, decision wording, community-input summaries, work-plan items, recommendation texts "
        "(paraphrased) and other plenary calls are plausible reconstructions where the record gives no detail. "
        "Each line's source is a URL when public record and 'reconstructed' otherwise."))

    ev("BoardResolutionRecorded", ts("2017-02-03 12:00"), {
        "resolutionId": "2017.02.03.11",
        "title": "Board member appointed to the SSR2 Review Team",
        "summary": "The Board appointed one of its members to serve on the SSR2 Review Team and asked the team to "
                   "deliver its terms of reference and work plan by 30 March 2017.",
        "directive": "deliver-terms-of-reference",
    }, source=RES_2017, note="Resolution number and date from the public record; summary wording reconstructed.")

    for mid, by in MEMBERS:
        at = ts("2017-02-14 12:00")
        JOINED[mid] = at
        ev("MemberAppointed", at, {
            "memberId": mid, "name": member_name(mid, by), "appointedBy": by,
            "role": "board-liaison" if by == "ICANN Board" else "member",
        }, source=wiki_and("member names (placeholders) and the split by SO/AC", "date and team size"),
            note="Team of 16 announced 14 Feb 2017 (public record); names are placeholders, not real people." if mid == "m01-alac" else None)

    # ---- 2017: plenaries, terms of reference ---------------------------------------------------
    meeting("plenary-01", "Plenary call #1", "teleconference", "Adobe Connect (remote)",
            "2017-03-02 14:00", "2017-03-02 16:00", "2017-02-20 12:00", 4, source=WIKI,
            note="First plenary teleconference on 2 March 2017 (public record); times reconstructed.")

    mid, t = call("2017-03-16", "Plenary call: terms of reference first draft", 3)
    ev("TermsOfReferenceDrafted", t + timedelta(minutes=30), {
        "version": "1.0", "title": "SSR2 Review Team Terms of Reference",
        "summary": "First draft: mandate under Bylaws 4.6(c), scope, methodology, decision-making by consensus, "
                   "deliverables and timeline, and the team's working methods.",
    }, meeting=mid, source=REC, note="Version numbering 1.0/2.0 reconstructed; v3 of 29 Apr 2017 is public record.")

    mid, t = call("2017-03-30", "Plenary call: leadership selection", 3)
    ev("MemberRoleChanged", t + timedelta(minutes=20), {"memberId": "m13-ssac", "role": "chair"}, meeting=mid,
       source=wiki_and("which members (placeholders)", "date and meeting"), note="Co-chairs selected 30 Mar 2017 (public record).")
    ev("MemberRoleChanged", t + timedelta(minutes=20), {"memberId": "m09-gnso", "role": "chair"}, meeting=mid,
       source=wiki_and("which members (placeholders)", "date and meeting"))
    ev("MemberRoleChanged", t + timedelta(minutes=25), {"memberId": "m04-ccnso", "role": "vice-chair"}, meeting=mid,
       source=REC)

    mid, t = call("2017-04-06", "Plenary call: terms of reference second draft", 2)
    ev("TermsOfReferenceAmended", t + timedelta(minutes=30), {
        "version": "2.0", "basedOn": "1.0",
        "changes": ["Scope section restructured around the four Bylaws 4.6(c) elements",
                    "Added the assessment of SSR1 implementation as a separate work stream",
                    "Clarified observers' participation and the handling of confidential information"],
        "rationale": "Comments from team members on the first draft.",
    }, meeting=mid, source=REC)

    ev("TermsOfReferenceAmended", ts("2017-04-29 12:00"), {
        "version": "3.0", "basedOn": "2.0",
        "changes": ["Work stream structure aligned with the draft work plan",
                    "Timeline revised for delivery to the Board after the first face-to-face meeting",
                    "Added the team's approach to external expertise and staff briefings"],
        "rationale": "Circulated to the team's mailing list for adoption at the next plenary.",
    }, source=LIST, note="Version 3 circulated on 29 Apr 2017 (public record); list of changes reconstructed.")

    mid, t = call("2017-05-04", "Plenary call: adoption of the terms of reference", 3)
    ev("TermsOfReferenceAdopted", t + timedelta(minutes=40), {"version": "3.0", "method": "consensus"}, meeting=mid,
       source=WIKI, note="Terms of reference adopted in early May 2017 (public record); exact call reconstructed.")
    ev("DeliveredToBoard", ts("2017-05-09 12:00"), {
        "deliveryId": "del-tor-3.0", "deliverable": "terms-of-reference", "version": "3.0",
        "inResponseTo": "2017.02.03.11",
    }, source=WIKI, note="Delivery date reconstructed.")

    # ---- Madrid face-to-face, 14-15 May 2017 ---------------------------------------------------
    start = meeting("madrid-2017", "Face-to-face meeting #1, Madrid", "face-to-face", "Madrid, Spain",
                    "2017-05-14 07:00", "2017-05-15 16:00", "2017-04-10 12:00", 6, source=WIKI,
                    note="Madrid face-to-face meeting, 14-15 May 2017 (public record); times in UTC reconstructed.")
    ev("StaffBriefingReceived", start + timedelta(minutes=15), {
        "by": "ICANN Office of the CTO",
        "topic": "Overview of ICANN's security, stability and resiliency activities and the identifier systems it coordinates",
    }, meeting="madrid-2017", source=wiki_and("briefing wording and time", "OCTO briefing at Madrid"))
    for i, (tid, title, desc) in enumerate(TOPICS):
        ev("TopicAreaAgreed", start + timedelta(minutes=45 + i), {"topicId": tid, "title": title, "description": desc},
           meeting="madrid-2017", source=wiki_and("topic ids and descriptions", "topic areas agreed at Madrid"),
           note="Work broken down into topic areas at Madrid (public record)." if i == 0 else None)
    n = 0
    for tid, lst in AREAS.items():
        for aid, title in lst:
            ev("AreaOfInterestIdentified", start + timedelta(minutes=60 + 2 * n),
               {"areaId": aid, "title": title, "topicId": tid}, meeting="madrid-2017", source=REC,
               note="Over 100 areas of interest were identified at Madrid (public record); the individual areas are reconstructed." if n == 0 else None)
            n += 1

    deferred_madrid = ["ksk-rollover", "quantum-crypto", "blockchain-naming", "iot-identifiers", "local-root",
                       "emerging-identifiers"]
    changes = [{"areaId": a, "to": "deferred" if a in deferred_madrid else "in-scope"}
               for lst in AREAS.values() for a, _ in lst]
    ev("ScopeDecided", ts("2017-05-15 13:00"), {
        "decisionId": "scope-2017-05-madrid", "changes": changes,
        "rationale": "Initial scoping: areas within the Bylaws 4.6(c) mandate are taken into scope; areas tied to "
                     "work still under way elsewhere (the root KSK rollover planned for October 2017) or to "
                     "speculative technologies are deferred until the team has capacity to assess them.",
        "basis": "Bylaws 4.6(c)(ii)-(iv); ToR 3.0 scope section", "method": "consensus",
    }, meeting="madrid-2017", source=REC)

    ev("WorkPlanAdopted", ts("2017-05-15 15:00"), {
        "version": "1.0",
        "items": [
            {"itemId": "wp1-topics", "title": "Agree topic areas and areas of interest", "due": "2017-05-15"},
            {"itemId": "wp1-subteams", "title": "Form subteams and assign areas", "due": "2017-06-02"},
            {"itemId": "wp1-ssr1", "title": "Assess implementation of the SSR1 recommendations", "due": "2017-09-30"},
            {"itemId": "wp1-icann-ssr", "title": "Findings on ICANN internal security processes", "due": "2017-11-30"},
            {"itemId": "wp1-dns-ssr", "title": "Findings on the security of the unique identifiers", "due": "2017-12-15"},
            {"itemId": "wp1-future", "title": "Findings on future challenges", "due": "2018-01-31"},
            {"itemId": "wp1-draft-report", "title": "Draft report for public comment", "due": "2018-03-31"},
            {"itemId": "wp1-final-report", "title": "Final report to the Board", "due": "2018-06-30"},
        ],
    }, meeting="madrid-2017", source=REC, note="A work plan was adopted and sent to the Board; its items and dates are reconstructed.")
    ev("DeliveredToBoard", ts("2017-05-22 12:00"), {
        "deliveryId": "del-wp-1.0", "deliverable": "work-plan", "version": "1.0", "inResponseTo": "2017.02.03.11",
    }, source=REC)

    ev("CommunityInputReceived", ts("2017-05-30 09:00"), {
        "inputId": "ci-2017-05-list-abuse", "channel": "mailing-list", "from": "Observer on the ssr2-review list",
        "summary": "Asked the team to include the measurement of DNS abuse and the transparency of abuse reporting in its scope.",
        "areaIds": ["abuse-reporting", "dns-abuse"],
    }, source=REC)

    # ---- subteams -------------------------------------------------------------------------------
    mid, t = call("2017-06-01", "Plenary call: subteams", 2)
    subteams = [
        ("ssr1-review", "SSR1 Review subteam", ["m03-alac", "m05-ccnso", "m10-gnso", "m12-rssac", "m15-ssac"], "m05-ccnso"),
        ("icann-ssr", "ICANN SSR subteam", ["m01-alac", "m04-ccnso", "m07-gac", "m08-gnso", "m13-ssac"], "m08-gnso"),
        ("dns-ssr", "DNS SSR subteam", ["m02-alac", "m06-ccnso", "m09-gnso", "m11-rssac", "m14-ssac"], "m14-ssac"),
        ("future-challenges", "Future Challenges subteam", ["m01-alac", "m06-ccnso", "m12-rssac", "m15-ssac"], "m15-ssac"),
    ]
    for i, (sid, name, members, rap) in enumerate(subteams):
        ev("SubteamFormed", t + timedelta(minutes=20 + i), {"subteamId": sid, "name": name, "members": members,
                                                           "rapporteur": rap},
           meeting=mid, source=wiki_and("date, membership and rapporteurs", "subteams per topic"),
           note="Subteams per topic area were formed after Madrid (public record)." if i == 0 else None)
    for i, (sid, _, _, _) in enumerate(subteams):
        ids = [a for a, _ in AREAS[sid] if a not in deferred_madrid]
        ev("AreasAssignedToSubteam", t + timedelta(minutes=40 + i), {"subteamId": sid, "areaIds": ids},
           meeting=mid, source=REC)

    # ---- Johannesburg, ICANN59 -------------------------------------------------------------------
    start = meeting("johannesburg-2017", "Face-to-face meeting #2 at ICANN59, Johannesburg", "face-to-face",
                    "Johannesburg, South Africa", "2017-06-25 07:00", "2017-06-26 15:00", "2017-05-25 12:00", 9,
                    source=WIKI, note="Face-to-face meeting at ICANN59, 25-26 June 2017 (public record).")
    ev("StaffBriefingReceived", start + timedelta(hours=2), {
        "by": "ICANN Contractual Compliance",
        "topic": "Enforcement of SSR-related obligations in registry and registrar agreements",
    }, meeting="johannesburg-2017", source=REC)
    ev("CommunityInputReceived", ts("2017-06-26 09:00"), {
        "inputId": "ci-2017-06-icann59", "channel": "meeting", "from": "Participants at the ICANN59 engagement session",
        "summary": "Questions on how the team will avoid duplicating the work of SSAC and RSSAC and on the timeline of the review.",
    }, meeting="johannesburg-2017", source=REC)
    jnb_changes = [
        {"areaId": "registrar-data-escrow", "to": "merged", "mergedInto": "registry-data-escrow"},
        {"areaId": "risk-register", "to": "merged", "mergedInto": "risk-management"},
        {"areaId": "disaster-recovery", "to": "merged", "mergedInto": "business-continuity"},
        {"areaId": "security-training", "to": "merged", "mergedInto": "security-staffing"},
        {"areaId": "ssr1-reporting", "to": "merged", "mergedInto": "ssr1-metrics"},
        {"areaId": "meeting-security", "to": "out-of-scope"},
    ]
    ev("ScopeDecided", ts("2017-06-26 12:00"), {
        "decisionId": "scope-2017-06-johannesburg", "changes": jnb_changes,
        "rationale": "Subteam reports showed overlapping areas; overlapping areas are merged so each is assessed once, "
                     "and logistics of ICANN public meetings are outside the SSR remit of the identifier systems.",
        "basis": "ToR 3.0 scope section", "method": "consensus",
    }, meeting="johannesburg-2017", source=REC)

    call("2017-08-17", "Plenary call: subteam progress", 2)
    ev("CommunityInputReceived", ts("2017-10-03 12:00"), {
        "inputId": "ci-2017-10-ssac-letter", "channel": "mailing-list", "from": "SSAC",
        "summary": "SSAC letter of 3 October 2017 to the Board raising concerns about the direction and progress of the SSR2 review.",
    }, source=SSAC_2017, note="Letter date public record (referred to on the GNSO Council list); channel approximated and summary reconstructed.")
    call("2017-10-19", "Plenary call: preparation for ICANN60", 3)
    meeting("plenary-2017-11-02", "Plenary call (cancelled)", "teleconference", "Adobe Connect (remote)",
            "2017-11-02 14:00", "2017-11-02 16:00", "2017-10-20 12:00", 0, held=False)

    # ---- pause ---------------------------------------------------------------------------------
    ev("BoardResolutionRecorded", ts("2017-10-28 10:55"), {
        "resolutionId": "letter-2017-10-28",
        "title": "Board letter suspending the work of the SSR2 Review Team",
        "summary": "In consideration of concerns received, the Board asked the SSR2 Review Team to suspend its work "
                   "pending input from the SO/ACs on any need to adjust the scope, terms of reference, work plan, "
                   "skill set or resources of the review.",
        "directive": "pause-review",
    }, source=RES_2021_FEATURES, note="Not a numbered Board resolution: a Board letter of 28 Oct 2017, recorded here as "
                                      "one so the pause can cite it. The id is the ledger's own.")
    ev("ReviewPaused", ts("2017-10-28 11:00"), {
        "reason": "Board letter of 28 October 2017 suspending the review pending SO/AC input on scope, terms of "
                  "reference, work plan, skills and resources.",
        "resolutionId": "letter-2017-10-28",
    }, source=RES_2021_FEATURES)
    ev("MeetingCancelled", ts("2017-10-30 09:00"), {"reason": "Review suspended by the Board on 28 October 2017."},
       meeting="plenary-2017-11-02", source=REC)

    # ---- during the pause ----------------------------------------------------------------------
    ev("MemberDeparted", ts("2018-01-22 12:00"), {"memberId": "m09-gnso", "reason": "Resigned from the review team during the pause."},
       source=REC, note="Some members resigned during the pause (public record); which ones is reconstructed.")
    LEFT["m09-gnso"] = ts("2018-01-22 12:00")
    ev("CommunityInputReceived", ts("2018-02-12 12:00"), {
        "inputId": "ci-2018-02-soac-chairs", "channel": "mailing-list", "from": "SO/AC Chairs",
        "summary": "Statement on the status of the SSR2 review sent to the review team's list, alongside requests for "
                   "more staff support, an external facilitator and a process to appoint new members.",
    }, source=SOAC_2018)
    ev("MemberDeparted", ts("2018-03-05 12:00"), {"memberId": "m04-ccnso", "reason": "Resigned from the review team during the pause."},
       source=REC)
    LEFT["m04-ccnso"] = ts("2018-03-05 12:00")
    for mid_, by in LATE_MEMBERS:
        at = ts("2018-05-28 12:00")
        JOINED[mid_] = at
        ev("MemberAppointed", at, {"memberId": mid_, "name": member_name(mid_, by), "appointedBy": by, "role": "member"},
           source=REC, note="Replacement members appointed by the SO/ACs before the restart; names are placeholders.")

    # ---- restart ---------------------------------------------------------------------------------
    ev("ReviewResumed", ts("2018-06-07 12:00"), {
        "reason": "Restart of the SSR2 review announced after the SO/AC consultation, with new members and an external facilitator.",
    }, source=WIKI, note="Restart announced 7 June 2018 (public record); no Board resolution is cited.")
    call("2018-06-21", "Plenary call: restart of the review", 5)
    mid, t = call("2018-07-19", "Plenary call: leadership", 4)
    ev("MemberRoleChanged", t + timedelta(minutes=15), {"memberId": "m13-ssac", "role": "member"}, meeting=mid, source=REC,
       note="Leadership selected after the restart; members and date reconstructed.")
    ev("MemberRoleChanged", t + timedelta(minutes=16), {"memberId": "m14-ssac", "role": "chair"}, meeting=mid, source=REC)
    ev("MemberRoleChanged", t + timedelta(minutes=17), {"memberId": "m02-alac", "role": "vice-chair"}, meeting=mid, source=REC)
    ev("MemberRoleChanged", t + timedelta(minutes=18), {"memberId": "m07-gac", "role": "vice-chair"}, meeting=mid, source=REC)

    # ---- Washington DC, 22-24 August 2018 ------------------------------------------------------
    start = meeting("washington-2018", "Face-to-face meeting, Washington DC", "face-to-face",
                    "Washington, DC, United States", "2018-08-22 13:00", "2018-08-24 21:00", "2018-07-20 12:00", 5,
                    source=WIKI, note="Washington DC face-to-face meeting, 22-24 August 2018 (public record).")
    ev("StaffBriefingReceived", start + timedelta(hours=3), {
        "by": "ICANN Information Security",
        "topic": "ICANN org internal security programme, business continuity and disaster recovery",
    }, meeting="washington-2018", source=REC)
    for i, (tid, aid, title) in enumerate(LATE_AREAS):
        ev("AreaOfInterestIdentified", start + timedelta(hours=5, minutes=i), {"areaId": aid, "title": title, "topicId": tid},
           meeting="washington-2018", source=REC)
    wdc_changes = list(jnb_changes) + [
        {"areaId": "ksk-rollover", "to": "out-of-scope"},
        {"areaId": "ip-address-registries", "to": "out-of-scope"},
        {"areaId": "blockchain-naming", "to": "out-of-scope"},
        {"areaId": "iot-identifiers", "to": "out-of-scope"},
        {"areaId": "ai-abuse", "to": "out-of-scope"},
        {"areaId": "workforce", "to": "out-of-scope"},
        {"areaId": "universal-acceptance", "to": "out-of-scope"},
        {"areaId": "emerging-identifiers", "to": "out-of-scope"},
        {"areaId": "protocol-parameters", "to": "merged", "mergedInto": "pti-security"},
        {"areaId": "root-scaling", "to": "merged", "mergedInto": "root-server-system"},
        {"areaId": "anycast-resilience", "to": "merged", "mergedInto": "root-server-system"},
        {"areaId": "hijacking", "to": "merged", "mergedInto": "dns-abuse"},
        {"areaId": "open-resolvers", "to": "merged", "mergedInto": "ddos-mitigation"},
        {"areaId": "quantum-crypto", "to": "merged", "mergedInto": "crypto-agility"},
        {"areaId": "gdpr-rds", "to": "in-scope"},
        {"areaId": "dns-over-https", "to": "deferred"},
    ]
    ev("ScopeDecided", ts("2018-08-23 15:00"), {
        "decisionId": "scope-2018-08-washington", "changes": wdc_changes,
        "rationale": "Scope wording narrowed so that the restarted review can finish: the merges agreed in "
                     "Johannesburg are confirmed, further overlapping areas are merged, areas outside ICANN's "
                     "remit or already covered by SSAC, RSSAC or other reviews are taken out of scope, and "
                     "registration data privacy after the GDPR is added.",
        "basis": "Bylaws 4.6(c); draft ToR 4.0 scope wording", "method": "consensus",
        "supersedes": "scope-2017-06-johannesburg",
    }, meeting="washington-2018", source=wiki_and("the areas concerned and the decision wording", "date and meeting"),
        note="Scope wording narrowed on 23 Aug 2018 (public record).")

    # ---- plenary #41: terms of reference finalised, subteams folded into the plenary ------------
    meeting("plenary-41", "Plenary call #41", "teleconference", "Adobe Connect (remote)",
            "2018-08-30 14:00", "2018-08-30 16:00", "2018-08-24 21:00", 3, source=WIKI,
            note="Terms of reference finalised at plenary #41 on 30 Aug 2018 (public record); times reconstructed.")
    t = ts("2018-08-30 14:00")
    ev("TermsOfReferenceAmended", t + timedelta(minutes=30), {
        "version": "4.0", "basedOn": "3.0",
        "changes": ["Scope narrowed per the Washington DC decision of 23 August 2018",
                    "Work organised in the plenary with a rapporteur per topic instead of subteams",
                    "Timeline and deliverables re-baselined after the restart"],
        "rationale": "Restart of the review after the 2017-2018 pause and the SO/AC consultation.",
    }, meeting="plenary-41", source=wiki_and("the list of changes", "date and meeting"))
    ev("TermsOfReferenceAdopted", t + timedelta(minutes=45), {"version": "4.0", "method": "consensus"},
       meeting="plenary-41", source=WIKI)
    for i, (sid, _, _, _) in enumerate(subteams):
        ev("SubteamDissolved", t + timedelta(minutes=60 + i), {
            "subteamId": sid, "reason": "Subteams folded into the plenary under ToR 4.0; the topic continues in plenary with a rapporteur.",
        }, meeting="plenary-41", source=REC)
    ev("DeliveredToBoard", ts("2018-09-06 12:00"), {
        "deliveryId": "del-tor-4.0", "deliverable": "terms-of-reference", "version": "4.0",
    }, source=REC)

    mid, t = call("2018-09-13", "Plenary call: root KSK rollover", 3)
    ev("StaffBriefingReceived", t + timedelta(minutes=10), {
        "by": "ICANN Office of the CTO", "topic": "Status and plan of the root zone KSK rollover",
    }, meeting=mid, source=REC)
    ev("ScopeDecided", t + timedelta(minutes=70), {
        "decisionId": "scope-2018-09-ksk", "changes": [{"areaId": "ksk-rollover", "to": "in-scope"}],
        "rationale": "With the root KSK rollover planned for 11 October 2018, ICANN's execution of the rollover is a "
                     "live question of identifier-system SSR; the team brings it back into scope.",
        "basis": "Bylaws 4.6(c)(ii)(A); ToR 4.0", "method": "consensus",
    }, meeting=mid, source=wiki_and("the decision wording"), note="Key rollover brought into scope on 13 Sep 2018 (public record).")

    mid, t = call("2018-10-04", "Plenary call: revised work plan", 3)
    ev("WorkPlanAdopted", t + timedelta(minutes=40), {
        "version": "2.0",
        "items": [
            {"itemId": "wp2-ssr1", "title": "Assessments of the 28 SSR1 recommendations", "due": "2018-12-31"},
            {"itemId": "wp2-icann-ssr", "title": "Findings on ICANN internal security processes", "due": "2019-03-31"},
            {"itemId": "wp2-dns-ssr", "title": "Findings on the security of the unique identifiers", "due": "2019-04-30"},
            {"itemId": "wp2-future", "title": "Findings on future challenges", "due": "2019-05-31"},
            {"itemId": "wp2-draft-report", "title": "Draft report for public comment", "due": "2019-08-31"},
            {"itemId": "wp2-final-report", "title": "Final report to the Board", "due": "2019-12-31"},
        ],
    }, meeting=mid, source=REC)
    ev("DeliveredToBoard", ts("2018-10-08 12:00"), {"deliveryId": "del-wp-2.0", "deliverable": "work-plan", "version": "2.0"},
       source=REC)
    ev("CommunityInputReceived", ts("2018-10-22 10:00"), {
        "inputId": "ci-2018-10-icann63", "channel": "meeting", "from": "Participants at the ICANN63 engagement session",
        "summary": "Support for a focus on DNS abuse and contractual compliance; questions on the new timeline.",
        "areaIds": ["dns-abuse", "contract-compliance"],
    }, source=REC)

    # ---- 2019: drafting the recommendations ----------------------------------------------------
    batches = [("2019-06-20", 1, 8), ("2019-09-19", 9, 16), ("2019-11-21", 17, 24)]
    for day, lo, hi in batches:
        mid, t = call(day, f"Plenary call: draft recommendations {lo}-{hi}", 2)
        k = 0
        for rid, num, title, text, areas in RECS:
            g = int(num.split(".")[0])
            if lo <= g <= hi:
                ev("RecommendationDrafted", t + timedelta(minutes=10 + k), {
                    "recommendationId": rid, "title": f"Recommendation {num}: {title}", "text": text, "areaIds": areas,
                }, meeting=mid, source=REC,
                    note=(f"Recommendation {num} of the Final Report (public record: number and group title); "
                          "text paraphrased, drafting date reconstructed."))
                k += 1

    # ---- 2020: draft report and public comment -------------------------------------------------
    call("2020-01-16", "Plenary call: approval of the draft report", 3)
    ev("DeliveredToBoard", ts("2020-01-24 12:00"), {"deliveryId": "del-draft-report", "deliverable": "draft-report"},
       source=REVIEW_PAGE, note="Draft report published for public comment on 24 Jan 2020 (public record); recorded as a delivery.")
    comments = [
        ("ci-2020-03-board", "ICANN Board", "Asked that recommendations be specific, measurable and prioritised, and that their cost and feasibility be considered.", None),
        ("ci-2020-03-ssac", "SSAC", "Broad support; suggested sharper definitions of DNS abuse and attention to name collisions.", ["abuse-definitions", "name-collisions"]),
        ("ci-2020-04-rysg", "Registries Stakeholder Group", "Concerns that the abuse-related recommendations would set contract terms outside the policy development process.", ["dns-abuse", "contract-compliance"]),
        ("ci-2020-04-rrsg", "Registrar Stakeholder Group", "Questioned the abuse thresholds and incentive proposals and asked for evidence behind them.", ["dns-abuse"]),
        ("ci-2020-04-alac", "At-Large Advisory Committee", "Supported stronger compliance enforcement and transparency of abuse reporting.", ["contract-compliance", "abuse-reporting"]),
        ("ci-2020-04-bc", "Business Constituency", "Supported the DNS abuse and registration data recommendations.", ["dns-abuse", "gdpr-rds"]),
    ]
    for i, (iid, frm, summary, areas) in enumerate(comments):
        fields = {"inputId": iid, "channel": "public-comment", "from": frm, "summary": summary}
        if areas:
            fields["areaIds"] = areas
        ev("CommunityInputReceived", ts("2020-03-20 12:00") + timedelta(days=3 * i), fields, source=REC,
           note="Public comment on the draft report (public record); summary reconstructed." if i == 0 else None)

    mid, t = call("2020-10-15", "Plenary call: revisions after public comment", 2)
    revised = ["2.1", "10.2", "12.2", "14.1", "17.2", "20.1"]
    for k, num in enumerate(revised):
        rid, _, _, text, _ = next(r for r in RECS if r[1] == num)
        ev("RecommendationRevised", t + timedelta(minutes=10 + k), {
            "recommendationId": rid, "text": text.rstrip(".") + ", with measurable outcomes and a target date for implementation.",
            "rationale": "Public comment asked for specific, measurable recommendations.",
        }, meeting=mid, source=REC)

    # ---- 2021: adoption, final report -----------------------------------------------------------
    mid, t = call("2021-01-14", "Plenary call: adoption of the final recommendations", 4)
    for k, (rid, num, _, _, _) in enumerate(RECS):
        ev("RecommendationAdopted", t + timedelta(minutes=10, seconds=20 * k), {"recommendationId": rid, "consensus": "full consensus"},
           meeting=mid, source=REC, note="Consensus level as recorded here is reconstructed." if k == 0 else None)
    ev("DeliveredToBoard", ts("2021-01-25 12:00"), {"deliveryId": "del-final-report", "deliverable": "final-report"},
       source=WIKI_SSR2, note="Final report with 63 recommendations released 25 Jan 2021 (public record).")

    # ---- Board action, 22 July 2021 --------------------------------------------------------------
    res = [
        ("2021.07.22.11", "SSR2 Final Report: recommendations approved",
         "The Board took action on the SSR2 Final Report, approving 13 recommendations.", "act-on-recommendations"),
        ("2021.07.22.12", "SSR2 Final Report: recommendations rejected",
         "The Board rejected 16 recommendations of the SSR2 Final Report.", "act-on-recommendations"),
        ("2021.07.22.13", "SSR2 Final Report: recommendations placed in pending status",
         "The Board placed 34 recommendations in pending status for further consideration.", "act-on-recommendations"),
    ]
    for i, (rid, title, summary, directive) in enumerate(res):
        ev("BoardResolutionRecorded", ts("2021-07-22 18:00") + timedelta(minutes=i), {
            "resolutionId": rid, "title": title, "summary": summary, "directive": directive,
        }, source=RES_2021, note=("Resolutions 2021.07.22.11-2021.07.22.13 (public record); splitting the actions "
                                  "approve/reject/pending across .11/.12/.13 is an assumption.") if i == 0 else None)
    action_of = {**{n: "approved" for n in APPROVED}, **{n: "pending" for n in PENDING}, **{n: "rejected" for n in REJECTED}}
    for k, (rid, num, _, _, _) in enumerate(RECS):
        action = action_of[num]
        ev("BoardActedOnRecommendation", ts("2021-07-22 18:10") + timedelta(seconds=10 * k), {
            "recommendationId": rid, "action": action, "resolutionId": ACTION_RESOLUTION[action],
        }, source=WIKI_SSR2, note=f"Recommendation {num}: {action} per the SSR2 scorecard.")

    EVENTS.sort(key=lambda e: (e[0], e[1]))
    return [{"type": t, "data": d} for _, _, t, d in EVENTS]


def write():
    lines = build()
    with open(OUT, "w", encoding="utf-8", newline="\n") as f:
        for obj in lines:
            f.write(json.dumps(obj, ensure_ascii=False) + "\n")
    print(f"wrote {len(lines)} lines to {OUT}")


# =================================================================================================
# Checker: re-reads the file and verifies it against the ledger's rules (mirrors the C# deciders).
# =================================================================================================
ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
DT_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
ROLES = {"chair", "vice-chair", "member", "board-liaison"}
FORMATS = {"face-to-face", "teleconference", "hybrid"}
METHODS = {"consensus", "full-consensus", "vote", "chair"}
DELIVERABLES = {"terms-of-reference", "work-plan", "draft-report", "final-report", "other"}
SCOPES = {"proposed", "in-scope", "out-of-scope", "deferred", "merged"}
CHANNELS = {"mailing-list", "public-comment", "meeting", "survey"}
ACTIONS = {"approved", "rejected", "pending", "approved-in-principle"}

# field kinds: id, ids, text, texts, enum:<set>, int, dt, changes, items
BASE = {"effectiveAt": ("dt", True), "meetingId": ("id", False), "source": ("text", False), "note": ("text", False)}
SCHEMA = {
    "ReviewChartered": {"reviewId": ("id", True), "name": ("text", True), "mandate": ("text", True)},
    "MemberAppointed": {"memberId": ("id", True), "name": ("text", True), "appointedBy": ("text", True), "role": (ROLES, True)},
    "MemberRoleChanged": {"memberId": ("id", True), "role": (ROLES, True)},
    "MemberDeparted": {"memberId": ("id", True), "reason": ("text", True)},
    "MeetingScheduled": {"title": ("text", True), "format": (FORMATS, True), "location": ("text", True),
                         "startsAt": ("dt", True), "endsAt": ("dt", True)},
    "MeetingHeld": {"attendees": ("ids", True), "observers": ("int", True)},
    "MeetingCancelled": {"reason": ("text", True)},
    "StaffBriefingReceived": {"by": ("text", True), "topic": ("text", True)},
    "TermsOfReferenceDrafted": {"version": ("id", True), "title": ("text", True), "summary": ("text", True),
                                "documentSha256": ("text", False), "documentUrl": ("text", False)},
    "TermsOfReferenceAmended": {"version": ("id", True), "basedOn": ("id", True), "changes": ("texts", True), "rationale": ("text", True)},
    "TermsOfReferenceAdopted": {"version": ("id", True), "method": (METHODS, True)},
    "BoardResolutionRecorded": {"resolutionId": ("id", True), "title": ("text", True), "summary": ("text", True), "directive": ("text", False)},
    "DeliveredToBoard": {"deliveryId": ("id", True), "deliverable": (DELIVERABLES, True), "version": ("id", False), "inResponseTo": ("id", False)},
    "ReviewPaused": {"reason": ("text", True), "resolutionId": ("id", False)},
    "ReviewResumed": {"reason": ("text", True), "resolutionId": ("id", False)},
    "WorkPlanAdopted": {"version": ("id", True), "items": ("items", True)},
    "TopicAreaAgreed": {"topicId": ("id", True), "title": ("text", True), "description": ("text", True)},
    "AreaOfInterestIdentified": {"areaId": ("id", True), "title": ("text", True), "topicId": ("id", True)},
    "ScopeDecided": {"decisionId": ("id", True), "changes": ("changes", True), "rationale": ("text", True),
                     "basis": ("text", True), "method": (METHODS, True), "supersedes": ("id", False)},
    "SubteamFormed": {"subteamId": ("id", True), "name": ("text", True), "members": ("ids", True), "rapporteur": ("id", False)},
    "AreasAssignedToSubteam": {"subteamId": ("id", True), "areaIds": ("ids", True)},
    "SubteamDissolved": {"subteamId": ("id", True), "reason": ("text", True)},
    "CommunityInputReceived": {"inputId": ("id", True), "channel": (CHANNELS, True), "from": ("text", True),
                               "summary": ("text", True), "areaIds": ("ids", False)},
    "RecommendationDrafted": {"recommendationId": ("id", True), "title": ("text", True), "text": ("text", True),
                              "areaIds": ("ids", True), "subteamId": ("id", False)},
    "RecommendationRevised": {"recommendationId": ("id", True), "text": ("text", True), "rationale": ("text", True)},
    "RecommendationAdopted": {"recommendationId": ("id", True), "consensus": ("text", True)},
    "RecommendationWithdrawn": {"recommendationId": ("id", True), "reason": ("text", True)},
    "BoardActedOnRecommendation": {"recommendationId": ("id", True), "action": (ACTIONS, True), "resolutionId": ("id", True)},
}


def check(path=OUT):
    errors = []

    def err(line, msg):
        errors.append(f"line {line}: {msg}")

    def is_id(v):
        return isinstance(v, str) and len(v) <= 100 and ID_RE.match(v) is not None

    def is_text(v):
        return isinstance(v, str) and v.strip() != "" and len(v) <= 20000 and not any(ord(c) < 32 or 127 <= ord(c) < 160 for c in v)

    def parse_dt(v):
        if not isinstance(v, str) or not DT_RE.match(v):
            return None
        try:
            return datetime.strptime(v, "%Y-%m-%dT%H:%M:%SZ")
        except ValueError:
            return None

    def shape(n, where, obj, fields):
        ok = True
        for name in obj:
            if name not in fields:
                err(n, f"{where}{name} is not a field of this type")
                ok = False
        for name, (kind, required) in fields.items():
            if name not in obj or obj[name] is None:
                if obj.get(name, 0) is None:
                    err(n, f"{where}{name} is null; leave it out instead")
                if required:
                    err(n, f"{where}{name} is required")
                    ok = False
                continue
            v = obj[name]
            good = True
            if isinstance(kind, set):
                good = v in kind
            elif kind == "id":
                good = is_id(v)
            elif kind == "ids":
                good = isinstance(v, list) and all(is_id(x) for x in v)
            elif kind == "text":
                good = is_text(v)
            elif kind == "texts":
                good = isinstance(v, list) and all(is_text(x) for x in v)
            elif kind == "int":
                good = isinstance(v, int) and not isinstance(v, bool)
            elif kind == "dt":
                good = parse_dt(v) is not None
            elif kind == "items":
                good = isinstance(v, list) and all(isinstance(x, dict) for x in v)
                if good:
                    for i, x in enumerate(v):
                        if not shape(n, f"{where}{name}[{i}].", x, {"itemId": ("id", True), "title": ("text", True), "due": ("text", True)}):
                            good = False
                        elif not DATE_RE.match(x["due"]):
                            err(n, f"{where}{name}[{i}].due must be a date yyyy-mm-dd")
            elif kind == "changes":
                good = isinstance(v, list) and all(isinstance(x, dict) for x in v)
                if good:
                    for i, x in enumerate(v):
                        if not shape(n, f"{where}{name}[{i}].", x, {"areaId": ("id", True), "to": (SCOPES, True), "mergedInto": ("id", False)}):
                            good = False
            if not good:
                err(n, f"{where}{name} has an invalid value: {str(v)[:80]}")
                ok = False
        return ok

    # state
    status = None
    members, meetings, tor, workplans, resolutions, deliveries = {}, {}, {}, {}, {}, {}
    topics, areas, decisions, subteams, inputs, recs = {}, {}, {}, {}, {}, {}
    counts = {}
    last = None
    lines = Path(path).read_text(encoding="utf-8").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    for n, raw in enumerate(lines, 1):
        try:
            obj = json.loads(raw)
        except json.JSONDecodeError as ex:
            err(n, f"not valid JSON: {ex}")
            continue
        if not isinstance(obj, dict) or set(obj) != {"type", "data"}:
            err(n, "must be an object with exactly 'type' and 'data'")
            continue
        t, d = obj["type"], obj["data"]
        if t not in SCHEMA:
            err(n, f"unknown type {t}")
            continue
        if not isinstance(d, dict):
            err(n, "data must be an object")
            continue
        counts[t] = counts.get(t, 0) + 1
        if not shape(n, "", d, {**SCHEMA[t], **BASE}):
            continue
        if "source" not in d:
            err(n, "every line should say its source (URL or 'reconstructed')")
        at = parse_dt(d["effectiveAt"])
        if last is not None and at < last:
            err(n, f"effectiveAt {d['effectiveAt']} goes back in time")
        last = at
        if n == 1 and t != "ReviewChartered":
            err(n, "the first line must be ReviewChartered")
        if t != "ReviewChartered" and status is None:
            err(n, "review not chartered yet")
        mid = d.get("meetingId")
        if mid is not None and t != "MeetingScheduled" and mid not in meetings:
            err(n, f"meetingId {mid} refers to no meeting scheduled on an earlier line")

        def known(table, key, what):
            if key not in table:
                err(n, f"unknown {what} '{key}'")
                return False
            return True

        def unique(table, key, what):
            if key in table:
                err(n, f"duplicate {what} '{key}'")
                return False
            return True

        def distinct(ids, what):
            if len(set(ids)) != len(ids):
                err(n, f"{what} lists an id twice")

        if t == "ReviewChartered":
            if status is not None:
                err(n, "review already chartered")
            if d["reviewId"] != "ssr2":
                err(n, "reviewId must be 'ssr2'")
            status = "active"
        elif t == "MemberAppointed":
            if unique(members, d["memberId"], "member"):
                members[d["memberId"]] = {"active": True, "role": d["role"]}
        elif t in ("MemberRoleChanged", "MemberDeparted"):
            if known(members, d["memberId"], "member"):
                if not members[d["memberId"]]["active"]:
                    err(n, f"member {d['memberId']} has departed")
                elif t == "MemberDeparted":
                    members[d["memberId"]]["active"] = False
                else:
                    members[d["memberId"]]["role"] = d["role"]
        elif t == "MeetingScheduled":
            if mid is None:
                err(n, "meetingId is required")
            elif unique(meetings, mid, "meeting"):
                if parse_dt(d["endsAt"]) < parse_dt(d["startsAt"]):
                    err(n, "endsAt before startsAt")
                meetings[mid] = "scheduled"
        elif t in ("MeetingHeld", "MeetingCancelled"):
            if mid is None:
                err(n, "meetingId is required")
            elif mid in meetings:
                if meetings[mid] != "scheduled":
                    err(n, f"meeting {mid} is already {meetings[mid]}")
                meetings[mid] = "held" if t == "MeetingHeld" else "cancelled"
            if t == "MeetingHeld":
                for a in d["attendees"]:
                    known(members, a, "attendee")
                distinct(d["attendees"], "attendees")
                if d["observers"] < 0:
                    err(n, "observers must not be negative")
        elif t == "StaffBriefingReceived":
            if mid is None:
                err(n, "meetingId is required")
        elif t == "TermsOfReferenceDrafted":
            if unique(tor, d["version"], "ToR version"):
                tor[d["version"]] = {"adopted": False}
            sha = d.get("documentSha256")
            if sha is not None and not re.fullmatch(r"[0-9a-fA-F]{64}", sha):
                err(n, "documentSha256 must be 64 hex digits")
            url = d.get("documentUrl")
            if url is not None and not re.match(r"^[a-z][a-z0-9+.-]*://", url):
                err(n, "documentUrl must be an absolute URL")
        elif t == "TermsOfReferenceAmended":
            known(tor, d["basedOn"], "ToR version")
            if not d["changes"]:
                err(n, "changes must not be empty")
            if unique(tor, d["version"], "ToR version"):
                tor[d["version"]] = {"adopted": False}
        elif t == "TermsOfReferenceAdopted":
            if known(tor, d["version"], "ToR version"):
                if tor[d["version"]]["adopted"]:
                    err(n, f"ToR {d['version']} already adopted")
                tor[d["version"]]["adopted"] = True
        elif t == "WorkPlanAdopted":
            if not d["items"]:
                err(n, "items must not be empty")
            distinct([i["itemId"] for i in d["items"]], "items")
            for i in d["items"]:
                try:
                    date.fromisoformat(i["due"])
                except ValueError:
                    err(n, f"bad due date {i['due']}")
            if unique(workplans, d["version"], "work plan version"):
                workplans[d["version"]] = True
        elif t == "BoardResolutionRecorded":
            if unique(resolutions, d["resolutionId"], "Board resolution"):
                resolutions[d["resolutionId"]] = True
        elif t == "DeliveredToBoard":
            unique(deliveries, d["deliveryId"], "delivery")
            deliveries[d["deliveryId"]] = d["deliverable"]
            if "inResponseTo" in d:
                known(resolutions, d["inResponseTo"], "Board resolution")
            if d["deliverable"] == "terms-of-reference" and "version" in d:
                known(tor, d["version"], "ToR version")
            if d["deliverable"] == "work-plan" and "version" in d:
                known(workplans, d["version"], "work plan version")
            if d["deliverable"] == "final-report":
                status = "completed"
                not_adopted = [r for r, v in recs.items() if v["status"] != "adopted"]
                if not_adopted:
                    err(n, f"final report before adoption of {len(not_adopted)} recommendations")
        elif t == "ReviewPaused":
            if status != "active":
                err(n, f"review is {status}; only an active review can be paused")
            if "resolutionId" in d:
                known(resolutions, d["resolutionId"], "Board resolution")
            status = "paused"
        elif t == "ReviewResumed":
            if status != "paused":
                err(n, f"review is {status}; only a paused review can be resumed")
            if "resolutionId" in d:
                known(resolutions, d["resolutionId"], "Board resolution")
            status = "active"
        elif t == "TopicAreaAgreed":
            if unique(topics, d["topicId"], "topic"):
                topics[d["topicId"]] = True
        elif t == "AreaOfInterestIdentified":
            known(topics, d["topicId"], "topic")
            if unique(areas, d["areaId"], "area"):
                areas[d["areaId"]] = {"status": "proposed", "at": at, "subteam": None}
        elif t == "ScopeDecided":
            unique(decisions, d["decisionId"], "scope decision")
            if "supersedes" in d:
                known(decisions, d["supersedes"], "scope decision")
            ch = d["changes"]
            if not ch:
                err(n, "changes must not be empty")
            distinct([c["areaId"] for c in ch], "changes")
            for c in ch:
                if known(areas, c["areaId"], "area") and areas[c["areaId"]]["at"] > at:
                    err(n, f"area {c['areaId']} identified after the decision")
                if c["to"] == "merged":
                    if "mergedInto" not in c:
                        err(n, f"{c['areaId']}: mergedInto required for merged")
                    elif c["mergedInto"] == c["areaId"]:
                        err(n, f"{c['areaId']} merged into itself")
                    else:
                        known(areas, c["mergedInto"], "area (mergedInto)")
                elif "mergedInto" in c:
                    err(n, f"{c['areaId']}: mergedInto only for merged")
            for c in ch:
                if c["areaId"] in areas:
                    areas[c["areaId"]]["status"] = c["to"]
            decisions[d["decisionId"]] = True
        elif t == "SubteamFormed":
            for m in d["members"]:
                known(members, m, "member")
            distinct(d["members"], "members")
            if "rapporteur" in d and d["rapporteur"] not in d["members"]:
                err(n, "rapporteur must be one of the members")
            if unique(subteams, d["subteamId"], "subteam"):
                subteams[d["subteamId"]] = {"active": True}
        elif t in ("AreasAssignedToSubteam", "SubteamDissolved"):
            if known(subteams, d["subteamId"], "subteam"):
                if not subteams[d["subteamId"]]["active"]:
                    err(n, f"subteam {d['subteamId']} is dissolved")
                if t == "SubteamDissolved":
                    subteams[d["subteamId"]]["active"] = False
            if t == "AreasAssignedToSubteam":
                if not d["areaIds"]:
                    err(n, "areaIds must not be empty")
                distinct(d["areaIds"], "areaIds")
                for a in d["areaIds"]:
                    known(areas, a, "area")
        elif t == "CommunityInputReceived":
            unique(inputs, d["inputId"], "community input")
            inputs[d["inputId"]] = True
            for a in d.get("areaIds", []):
                known(areas, a, "area")
        elif t == "RecommendationDrafted":
            if unique(recs, d["recommendationId"], "recommendation"):
                recs[d["recommendationId"]] = {"status": "drafted", "action": None}
            if not 1 <= len(d["areaIds"]) <= 3:
                err(n, "a recommendation should cite 1-3 areas")
            distinct(d["areaIds"], "areaIds")
            for a in d["areaIds"]:
                if known(areas, a, "area") and areas[a]["status"] != "in-scope":
                    err(n, f"recommendation cites area {a} which is {areas[a]['status']}")
            if "subteamId" in d:
                known(subteams, d["subteamId"], "subteam")
        elif t in ("RecommendationRevised", "RecommendationAdopted", "RecommendationWithdrawn"):
            r = d["recommendationId"]
            if known(recs, r, "recommendation"):
                if recs[r]["status"] == "withdrawn":
                    err(n, f"recommendation {r} was withdrawn")
                elif t == "RecommendationAdopted":
                    if recs[r]["status"] == "adopted":
                        err(n, f"recommendation {r} already adopted")
                    recs[r]["status"] = "adopted"
                elif t == "RecommendationWithdrawn":
                    recs[r]["status"] = "withdrawn"
        elif t == "BoardActedOnRecommendation":
            if known(recs, d["recommendationId"], "recommendation"):
                if recs[d["recommendationId"]]["action"] is not None:
                    err(n, f"{d['recommendationId']} acted on twice")
                recs[d["recommendationId"]]["action"] = d["action"]
            known(resolutions, d["resolutionId"], "Board resolution")

    # totals
    if len(recs) != 63:
        errors.append(f"expected 63 recommendations, found {len(recs)}")
    expected_ids = {f"rec-{i}" for i in range(1, 64)}
    if set(recs) != expected_ids:
        errors.append("recommendation ids must be rec-1 .. rec-63")
    split = {}
    for r in recs.values():
        split[r["action"]] = split.get(r["action"], 0) + 1
    if split != {"approved": 13, "pending": 34, "rejected": 16}:
        errors.append(f"Board action split must be 13 approved / 34 pending / 16 rejected, found {split}")
    if len(areas) < 100:
        errors.append(f"expected at least 100 areas of interest, found {len(areas)}")
    if counts.get("MemberAppointed", 0) < 16:
        errors.append("expected at least 16 members")
    if len(lines) > 600:
        errors.append(f"{len(lines)} lines; keep the file under ~600")
    if status != "completed":
        errors.append(f"review should end completed, is {status}")
    if any(v == "scheduled" for v in meetings.values()):
        errors.append("meetings left neither held nor cancelled: " + ", ".join(k for k, v in meetings.items() if v == "scheduled"))

    print(f"{len(lines)} lines")
    for t in SCHEMA:
        if counts.get(t):
            print(f"  {t:28} {counts[t]}")
    print(f"areas: {len(areas)}  recommendations: {len(recs)}  Board actions: {split}")
    if errors:
        print(f"{len(errors)} problem(s):")
        for e in errors[:200]:
            print("  " + e)
        return 1
    print("OK: all checks passed")
    return 0


if __name__ == "__main__":
    if "--check" in sys.argv[1:]:
        sys.exit(check())
    write()
