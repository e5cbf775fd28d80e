#!/usr/bin/env python3
"""Writes data/rds-whois2.ndjson: ICANN's second Registration Directory Service Review (RDS-WHOIS2), from the team's
formation in June 2017 to the Board's action of 21 December 2023 on its last pending recommendations.

    python3 data/generate_rds_whois2.py            # (re)write data/rds-whois2.ndjson
    python3 data/generate_rds_whois2.py --check    # is the file what this script generates? (the test suite asks)

As for SSR2 (generate_ssr2.py): every entry cites the public page that supports it and says in its note what that
page does not give. Reconstructed here: the day the team formed and the members' appointing SO/ACs, when Alan
Greenberg became chair, the areas of interest beyond the team's first subgroup names, the dates noted as such, and
recommendation texts other than those quoted (given by number only). See data/README.md.
"""
import sys
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from ledger_lines import Ledger, main, ts  # noqa: E402

OUT = Path(__file__).resolve().parent / "rds-whois2.ndjson"

S_WIKI = "https://community.icann.org/display/WHO/RDS-WHOIS2+Review"
S_WIKI_HISTORY = "https://community.icann.org/pages/diffpagesbyversion.action?pageId=63145764&selectedPageVersions=144&selectedPageVersions=143"
S_WHO_HOME = "https://community.icann.org/pages/viewpage.action?pageId=56143842"
S_STATUS = "https://www.icann.org/resources/reviews/specific-reviews/whois"
S_CALL = "https://community.icann.org/pages/viewpage.action?pageId=63157653"
S_FORMED = "https://lists.icann.org/hyperkitty/list/council@icann.org/message/I4LOT5IMFJB4UFGCCKY33YP2LAY2VXGH/attachment/2/attachment.html"
S_MEETING_9 = "https://icann-community.atlassian.net/wiki/display/WHO/Meeting+%2523+9+-+2-3+October+2017"
S_LEADERSHIP_LIST = "http://mm.icann.org/pipermail/rds-whois2-rt-leadership_staff/2017-November/000151.html"
S_TOR_BLOG = "https://www.icann.org/news/blog/rds-whois2-review-team-submits-terms-of-reference-and-work-plan"
S_REPORT_ADOPTION = "https://community.icann.org/pages/viewpage.action?pageId=90770068"
S_DRAFT_COMMENT = "https://www.icann.org/news/announcement-2-2018-11-06-en"
S_FINAL_COMMENT = "https://community.icann.org/display/WHO/Final+Report+Public+Comment+Period"
S_PASS_THROUGH = "https://mm.icann.org/pipermail/council/2020-March/023606.html"
S_IMPLEMENTATION = ("https://community.icann.org/display/WHO/Implementation?preview=/190415041/215288888/"
                    "RDS-WHOIS2%2520Implementation%2520Documentation%2520-%25201.1-1.2.pdf")
S_BOARD_2020 = "https://www.icann.org/ru/board-activities-and-meetings/materials/preliminary-report-special-meeting-of-the-icann-board-25-02-2020-en"

NOT_GIVEN = "an SO/AC (not given in the sources cited)"
MEMBERS = [
    ("alan-greenberg", "Alan Greenberg", NOT_GIVEN), ("susan-kawaguchi", "Susan Kawaguchi", NOT_GIVEN),
    ("dmitry-belyavsky", "Dmitry Belyavsky", NOT_GIVEN), ("chris-disspain", "Chris Disspain", "ICANN Board"),
    ("volker-greimann", "Volker Greimann", NOT_GIVEN), ("carlton-samuels", "Carlton Samuels", NOT_GIVEN),
    ("cathrin-bauer-bulst", "Cathrin Bauer-Bulst", NOT_GIVEN), ("lili-sun", "Lili Sun", NOT_GIVEN),
    ("erika-mann", "Erika Mann", NOT_GIVEN), ("stephanie-perrin", "Stephanie Perrin", NOT_GIVEN),
    ("thomas-walden", "Thomas Walden", NOT_GIVEN),
]

TOPICS = [
    ("whois1", "Implementation of the WHOIS1 recommendations",
     "The extent to which ICANN org implemented each recommendation of the prior (WHOIS1) review, whether it was "
     "effective, and whether further measurable steps should be recommended."),
    ("anything-new", "Changes since the prior review",
     "An inventory of changes to WHOIS (RDS) policies and procedures since the prior review, to find significant new areas."),
    ("bylaws-objectives", "The Bylaws objectives of the review",
     "Whether today's gTLD RDS meets the legitimate needs of law enforcement, promotes consumer trust and safeguards "
     "registrant data."),
    ("compliance", "Contractual Compliance",
     "The effectiveness and transparency of ICANN's enforcement of existing WHOIS (RDS) policy through Contractual Compliance."),
]
AREAS = [
    ("whois1", "whois1-rec-1", "WHOIS1 Rec #1: Strategic priority"),
    ("whois1", "whois1-rec-2", "WHOIS1 Rec #2: Single WHOIS policy"),
    ("whois1", "whois1-rec-3", "WHOIS1 Rec #3: Outreach"),
    ("whois1", "whois1-rec-4", "WHOIS1 Rec #4: Compliance"),
    ("whois1", "whois1-rec-5-9", "WHOIS1 Recs #5-9: Data accuracy"),
    ("whois1", "whois1-rec-10", "WHOIS1 Rec #10: Privacy/proxy services"),
    ("whois1", "whois1-rec-11", "WHOIS1 Rec #11: Common interface"),
    ("whois1", "whois1-rec-12-14", "WHOIS1 Recs #12-14: Internationalized registration data"),
    ("whois1", "whois1-rec-15-16", "WHOIS1 Recs #15-16: Plan and annual reports"),
    ("anything-new", "new-policies", "WHOIS (RDS) policies and procedures changed since WHOIS1"),
    ("bylaws-objectives", "law-enforcement", "Legitimate needs of law enforcement for accessible, accurate, complete data"),
    ("bylaws-objectives", "consumer-trust", "Consumer trust in gTLD domain names"),
    ("bylaws-objectives", "safeguarding-data", "Safeguarding registrant data"),
    ("bylaws-objectives", "bylaws-4-6-e", "The Directory Service Review provisions of Bylaws Section 4.6(e)"),
    ("compliance", "contractual-compliance", "Contractual Compliance enforcement of WHOIS (RDS) policy"),
]

# The 22 recommendations of the Final Report, with the area each concerns; texts quoted where a page cited gives them.
QUOTED = {
    "R1.1": ("To ensure that RDS (WHOIS) is treated as a strategic priority, the ICANN Board should put into place a "
             "forward-looking mechanism to monitor possible impacts on the RDS (WHOIS) from legislative and policy "
             "developments around the world.", S_IMPLEMENTATION),
    "R1.2": ("To support this mechanism, the ICANN Board should instruct the ICANN org to assign responsibility for "
             "monitoring legislative and policy developments around the world and to provide regular updates to the ICANN "
             "Board.", S_IMPLEMENTATION),
    "R1.3": ("The ICANN Board, in drafting the charter of a Board working group on RDS, should ensure the necessary "
             "transparency of the group's work, such as providing records of meetings and meeting minutes, to enable "
             "future review of its activities.", S_IMPLEMENTATION),
    "CC.1": ("The ICANN Board should initiate action intended to ensure that gTLD domain names suspended due to RDS (WHOIS) "
             "contact data which the registrar knows to be incorrect, and that remains incorrect until the registration is "
             "due for deletion, should be treated as follows: (1) The RDS (WHOIS) record should include a notation that the "
             "domain name is suspended due to incorrect data; and (2) Domain names with this notation should not be "
             "unsuspended without correcting the data.", S_PASS_THROUGH),
}
RECS = [
    ("R1.1", "whois1-rec-1"), ("R1.2", "whois1-rec-1"), ("R1.3", "whois1-rec-1"), ("R3.1", "whois1-rec-3"),
    ("R3.2", "whois1-rec-3"), ("R4.1", "whois1-rec-4"), ("R4.2", "whois1-rec-4"), ("R5.1", "whois1-rec-5-9"),
    ("R10.1", "whois1-rec-10"), ("R10.2", "whois1-rec-10"), ("R11.1", "whois1-rec-11"), ("R11.2", "whois1-rec-11"),
    ("R12.1", "whois1-rec-12-14"), ("R15.1", "whois1-rec-15-16"), ("LE.1", "law-enforcement"), ("LE.2", "law-enforcement"),
    ("SG.1", "safeguarding-data"), ("CC.1", "contractual-compliance"), ("CC.2", "contractual-compliance"),
    ("CC.3", "contractual-compliance"), ("CC.4", "contractual-compliance"), ("BY.1", "bylaws-4-6-e"),
]
AREA_TITLE = {a: title for _, a, title in AREAS}


def rec_id(number):
    return "rec-" + number.lower()


# The Board's actions as ICANN's RDS review page tabulates them. CC.1 was approved and passed through in part to the
# GNSO Council: it is recorded passed-through, then approved (same instant, recorded in that order), so the ledger's
# disposition of CC.1 is 'approved' and its history shows both.
BOARD_2020 = [
    ("passed-through", "CC.1 CC.4"),
    ("approved", "R1.1 R1.2 R1.3 R3.1 R3.2 R10.2 R11.2 R12.1 R15.1 LE.1 LE.2 SG.1 CC.1 CC.2 CC.3"),
    ("pending", "R4.1 R4.2 R5.1 R10.1"),
    ("rejected", "R11.1 BY.1"),
]
BOARD_2023 = [("rejected", "R4.1 R4.2 R5.1 R10.1")]


def build():
    led = Ledger()
    ev, meeting = led.ev, led.meeting

    ev("ReviewChartered", ts("2017-06-01 00:00"), {
        "reviewId": "rds-whois2",
        "name": "Second Registration Directory Service Review (RDS-WHOIS2)",
        "mandate": "Periodic review to assess the effectiveness of the then current gTLD registry directory service and "
                   "whether its implementation meets the legitimate needs of law enforcement, promoting consumer trust and "
                   "safeguarding registrant data (ICANN Bylaws Section 4.6(e)).",
    }, S_WIKI, note="A review team member wrote in November 2017 that 'the team was formed in June 2017' (" + S_FORMED +
                    "); the day is reconstructed. Every line cites the page that supports it and says in its note what is "
                    "reconstructed (see data/README.md).")
    for mid, name, by in MEMBERS:
        ev("MemberAppointed", ts("2017-06-01 12:00"), {"memberId": mid, "name": name, "appointedBy": by, "role": "member"},
           S_MEETING_9, note="Members as the first face-to-face meeting lists them (two attending remotely); appointment "
                             "dates and appointing SO/ACs are not in the sources cited (Chris Disspain was an ICANN Board "
                             "director: " + S_BOARD_2020 + ")." if mid == "alan-greenberg" else None)
    ev("MemberRoleChanged", ts("2017-06-01 12:30"), {"memberId": "alan-greenberg", "role": "chair"}, S_WIKI,
       note="Alan Greenberg sent the Final Report as the team's chair; when he was chosen is not in the sources cited, so "
            "the date is reconstructed.")
    ev("CommunityInputReceived", ts("2017-06-01 13:00"), {
        "inputId": "ci-2017-soac-limited-scope", "channel": "mailing-list", "from": "SO/AC leaders",
        "summary": "A proposal to limit the review's scope and timeline to an investigation of the implementation results of "
                   "the prior WHOIS review, given the workload of the WHOIS-related work under way.",
    }, S_CALL, note="Set out in ICANN's call for volunteers (11 Jan 2017); the review team received it as input on its "
                    "scope (" + S_TOR_BLOG + "). Recorded at the team's formation; channel approximated.")

    # ---- first face-to-face, Brussels, 2-3 October 2017: terms of reference and scope -------------------------
    start = meeting("brussels-2017", "First face-to-face meeting, Brussels", "face-to-face", "Brussels, Belgium",
                    "2017-10-02 07:00", "2017-10-03 15:30", "2017-09-01 12:00", S_MEETING_9,
                    note="Meeting #9, 2-3 October 2017, 09:00-17:30 CET each day; scheduling date reconstructed.",
                    attendees=[m for m, _, _ in MEMBERS], observers=1,
                    held_note="Stephanie Perrin and Thomas Walden took part remotely.")
    ev("StaffBriefingReceived", start + timedelta(hours=1), {
        "by": "ICANN org", "topic": "ICANN's implementation of the first WHOIS Review Team's recommendations",
    }, S_MEETING_9, meeting="brussels-2017", note="Time of day reconstructed.")
    for i, (tid, title, desc) in enumerate(TOPICS):
        ev("TopicAreaAgreed", start + timedelta(hours=3, minutes=i), {"topicId": tid, "title": title, "description": desc},
           S_TOR_BLOG, meeting="brussels-2017",
           note="The scope as the team's blog on its terms of reference gives it; that it was agreed at this meeting "
                "(which planned to finalize the terms of reference and scope) and the time are reconstructed." if i == 0 else None)
    for i, (tid, aid, title) in enumerate(AREAS):
        ev("AreaOfInterestIdentified", start + timedelta(hours=3, minutes=10 + i), {"areaId": aid, "title": title, "topicId": tid},
           S_TOR_BLOG, meeting="brussels-2017",
           note="One area per prior recommendation (the team's subgroups and its report are organised this way, e.g. 'WHOIS1 "
                "Rec #1 - Strategic Priority': " + S_REPORT_ADOPTION + ") and per objective in its scope; titles of the "
                "groups not named in the pages cited follow the Final Report's numbering." if i == 0 else None)
    ev("TermsOfReferenceDrafted", start + timedelta(hours=2), {
        "version": "1.0", "title": "RDS-WHOIS2 Review Team Terms of Reference",
        "summary": "Scope: the prior review's recommendations and their effect, changes since then, the Bylaws objectives "
                   "(law enforcement, consumer trust, safeguarding registrant data) and Contractual Compliance.",
    }, S_TOR_BLOG, meeting="brussels-2017", note="Version number and the time it was tabled are reconstructed.")
    t = ts("2017-10-03 14:00")
    ev("ScopeDecided", t, {
        "decisionId": "scope-2017-10-brussels",
        "changes": [{"areaId": aid, "to": "in-scope"} for _, aid, _ in AREAS],
        "rationale": "After considering the Bylaws for the RDS review (Section 4.6(e)) and the SO/AC leaders' proposal for a "
                     "limited scope, the team agreed a scope covering the prior recommendations, changes since the prior "
                     "review, the Bylaws objectives and the effectiveness and transparency of Contractual Compliance.",
        "basis": "Bylaws 4.6(e); ToR 1.0", "method": "consensus",
    }, S_TOR_BLOG, meeting="brussels-2017",
       note="The scope agreed is the blog's; the day (this meeting planned to finalize the scope), the method and the time "
            "are reconstructed.")
    ev("TermsOfReferenceAdopted", t + timedelta(minutes=30), {"version": "1.0", "method": "consensus"}, S_MEETING_9,
       meeting="brussels-2017", note="The meeting page says the team planned to finalize and approve its terms of reference "
                                     "and work plan there; adoption at this meeting and the method are reconstructed.")
    ev("DeliveredToBoard", ts("2017-12-15 12:00"), {
        "deliveryId": "del-tor-1.0", "deliverable": "terms-of-reference", "version": "1.0",
    }, S_TOR_BLOG, note="The team submitted its terms of reference and work plan to the Board; the date is reconstructed "
                        "(after 13 Nov 2017, when the leadership still called the work plan 'a good start': "
                        + S_LEADERSHIP_LIST + ").")

    # ---- draft report, public comment, Brussels again -----------------------------------------------------------
    for k, (num, area) in enumerate(RECS):
        text, _ = QUOTED.get(num, (f"Recommendation {num} of the RDS-WHOIS2 Final Report (3 Sep 2019); its text is not "
                                   "reproduced here.", None))
        ev("RecommendationDrafted", ts("2018-09-04 10:00") + timedelta(seconds=10 * k), {
            "recommendationId": rec_id(num), "title": f"Recommendation {num} ({AREA_TITLE[area]})", "text": text,
            "areaIds": [area],
        }, QUOTED.get(num, (None, S_STATUS))[1],
           note="Draft recommendations were published with the draft report of 4 Sep 2018; numbering follows the Final "
                "Report, texts are quoted only where a page cited gives them." if k == 0 else None)
    ev("DeliveredToBoard", ts("2018-09-04 12:00"), {"deliveryId": "del-draft-report", "deliverable": "draft-report"},
       S_DRAFT_COMMENT, note="Published for public comment on 4 September 2018; recorded as a delivery; time of day reconstructed.")
    ev("CommunityInputReceived", ts("2018-10-22 12:00"), {
        "inputId": "ci-2018-10-icann63", "channel": "meeting", "from": "Engagement session at ICANN63, Barcelona",
        "summary": "Engagement session on the draft findings and recommendations, recorded and published.",
    }, S_DRAFT_COMMENT, note="The day within ICANN63 (20-26 October 2018) is reconstructed.")
    ev("CommunityInputReceived", ts("2018-11-18 23:59"), {
        "inputId": "ci-2018-11-draft-report-comment", "channel": "public-comment",
        "from": "Public comment proceeding on the draft report",
        "summary": "Public comment on the draft report, opened 4 September 2018 and extended to 18 November 2018; the "
                   "submissions are not itemized here.",
    }, S_DRAFT_COMMENT, note="Recorded at the close of the period; the hour is reconstructed.")
    meeting("brussels-2018", "Fourth face-to-face meeting, Brussels", "face-to-face", "Brussels, Belgium",
            "2018-12-10 08:00", "2018-12-12 16:00", "2018-11-06 12:00", S_WIKI_HISTORY,
            note="10-12 December 2018: the team considered the public comments, decided the corresponding changes to its "
                 "draft report and progressed on finalizing its recommendations. Hours and scheduling date reconstructed.")

    # ---- final report ---------------------------------------------------------------------------------------
    for k, (num, _) in enumerate(RECS):
        ev("RecommendationAdopted", ts("2019-09-03 10:00") + timedelta(seconds=10 * k), {
            "recommendationId": rec_id(num), "consensus": "adopted in the Final Report (consensus level not given in the sources cited)",
        }, S_WIKI, note="The day the team adopted its final recommendations is reconstructed as the day the Final Report was "
                        "sent." if k == 0 else None)
    ev("DeliveredToBoard", ts("2019-09-03 12:00"), {"deliveryId": "del-final-report", "deliverable": "final-report"}, S_WIKI,
       note="On 3 September 2019 Alan Greenberg, chair, sent the Final Report and its 22 recommendations to the Board; "
            "time of day reconstructed.")
    ev("CommunityInputReceived", ts("2019-12-09 23:59"), {
        "inputId": "ci-2019-final-report-comment", "channel": "public-comment",
        "from": "Public comment proceeding on the Final Report",
        "summary": "Public comment on the Final Report, opened 8 October 2019 and extended to 9 December 2019, before the "
                   "Board's consideration; the submissions are not itemized here.",
    }, S_FINAL_COMMENT, note="Recorded at the close of the period; the hour is reconstructed.")

    # ---- the Board's actions ----------------------------------------------------------------------------------
    for res_id, at, title, summary, actions, note in [
        ("board-2020-02-25", "2020-02-25 21:00", "Registration Directory Service Review (RDS-WHOIS2) Final Report",
         "The Board took action on each of the 22 recommendations: 15 approved in whole or in part, 2 passed through in "
         "whole or in part (CC.1, also approved, and CC.4, to the GNSO Council), 4 placed in pending status for an impact "
         "analysis after the Board's action on the EPDP Phase 2 recommendations, 2 rejected.", BOARD_2020,
         "Special Meeting of the Board, 25 February 2020, 21:00 UTC (" + S_BOARD_2020 + "); the resolution numbers are not "
         "given in the sources cited, so the id is the ledger's own."),
        ("board-2023-12-21", "2023-12-21 18:00", "Board action on the pending RDS-WHOIS2 recommendations",
         "The Board rejected the four recommendations it had placed in pending status: R4.1, R4.2, R5.1 and R10.1.",
         BOARD_2023, "Resolution number not given in the sources cited (the id is the ledger's own); time of day reconstructed."),
    ]:
        t = ts(at)
        ev("BoardResolutionRecorded", t, {"resolutionId": res_id, "title": title, "summary": summary,
                                          "directive": "act-on-recommendations"}, S_STATUS, note=note)
        k = 0
        for action, numbers in actions:
            for num in numbers.split():
                ev("BoardActedOnRecommendation", t, {
                    "recommendationId": rec_id(num), "action": action, "resolutionId": res_id,
                }, S_PASS_THROUGH if action == "passed-through" else S_STATUS,
                   note="Approved and also passed through in part to the GNSO Council; the Board's scorecard counts it in "
                        "both columns." if num == "CC.1" else None)
                k += 1
    ev("BoardResolutionRecorded", ts("2022-09-22 18:00"), {
        "resolutionId": "board-2022-09-22-rds3-deferral", "title": "Deferral of the Third Registration Directory Service Review",
        "summary": "The Board deferred the third RDS review (RDS3).", "directive": "defer-next-review",
    }, S_WHO_HOME, note="Resolution number not given in the source cited (the id is the ledger's own); time of day "
                        "reconstructed.")
    return led


if __name__ == "__main__":
    sys.exit(main(build, OUT))
