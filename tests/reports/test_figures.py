"""The annual report's figures, counted by the database, against numbers worked out by hand.

The world's organisation A has six children with episodes in 2026 (Cerys, Dylan, Ffion, Gethin,
Heledd, Iwan), in five local authority rows and five police force rows; organisation B has one
child whose records must never count. Every expected figure is a literal, with why beside it.
Runs on SQLite, and on PostgreSQL when ADREF_TEST_DATABASE_URL is set, with the same numbers."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from app.cases.models import Child, MissingEpisode
from app.interviews.clock import within_deadline
from app.interviews.models import Consent, InterviewCode, ReturnInterview
from app.questionnaires.models import QuestionnaireVersion
from app.referrals.models import ActiveOffer, OfferResponse, Referral, ReferralStatus
from app.reports.facts import ALL_AREAS, CARE_STATUSES, NO_AREA, FactKey, Period, Report, Scope
from app.reports.figures import annual_report
from app.reports.measures import MEASURES, MEASURES_BY_KEY
from app.reports.suppression import suppress
from app.youngperson.models import SelfReport, SelfReportCode
from tests.reports.attacker import recover

LONDON = ZoneInfo("Europe/London")
YEAR = Period.year(2026)

# Local authorities and the police forces that cover them (app/cases/data/areas.json).
CARDIFF, SWANSEA, NEWPORT, POWYS, GWYNEDD = (
    "W06000015", "W06000011", "W06000022", "W06000023", "W06000002")
SOUTH_WALES, GWENT, DYFED_POWYS, NORTH_WALES = "W15000003", "W15000002", "W15000004", "W15000001"
LA, PF = "local_authority", "police_force"


def utc(*parts) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def local(*parts) -> datetime:
    return datetime(*parts, tzinfo=LONDON)


# --- making records -----------------------------------------------------------------------
def a_child(session, like: Child, given: str, team=None, **fields) -> Child:
    made = Child(organisation_id=like.organisation_id, team_id=team.id if team else like.team_id,
                 given_name=given, family_name="Test", **fields)
    session.add(made)
    session.flush()
    return made


def an_episode(session, child: Child, reported: datetime, returned: datetime | None = None,
               force: str | None = None, risk: str | None = None) -> MissingEpisode:
    made = MissingEpisode(organisation_id=child.organisation_id, child_id=child.id,
                          reported_missing_at=reported, returned_at=returned,
                          reporting_force_code=force, risk_grade=risk)
    session.add(made)
    session.flush()
    return made


def an_interview(session, episode: MissingEpisode, codes=(), **fields) -> ReturnInterview:
    made = ReturnInterview(organisation_id=episode.organisation_id, episode_id=episode.id,
                           **fields)
    session.add(made)
    session.flush()
    session.add_all(InterviewCode(interview_id=made.id, list_name=list_name, code=code)
                    for list_name, code in codes)
    session.flush()
    return made


def held(session, episode, at: datetime, by: str | None, codes=(), **fields) -> ReturnInterview:
    """An interview offered, accepted and held at `at` by an interviewer of type `by`."""
    return an_interview(session, episode, codes, offered_at=episode.returned_at,
                        consent=Consent.ACCEPTED, conducted_at=at, interviewer_type=by, **fields)


def own_section(session, interview: ReturnInterview, codes) -> None:
    version = session.scalar(select(QuestionnaireVersion.id).limit(1))
    made = SelfReport(organisation_id=interview.organisation_id, interview_id=interview.id,
                      questionnaire_version_id=version, language="cy",
                      handed_over_at=interview.conducted_at)
    session.add(made)
    session.flush()
    session.add_all(SelfReportCode(self_report_id=made.id, list_name=list_name, code=code)
                    for list_name, code in codes)
    session.flush()


def a_referral(session, interview, kind: str, status: ReferralStatus) -> None:
    session.add(Referral(organisation_id=interview.organisation_id, interview_id=interview.id,
                         kind=kind, status=status))
    session.flush()


def an_active_offer(session, interview, offered: bool, response: OfferResponse) -> None:
    session.add(ActiveOffer(organisation_id=interview.organisation_id, interview_id=interview.id,
                            offered=offered, response=response))
    session.flush()


@pytest.fixture
def cases(session, world):
    """Organisation A's children and their 2026 episodes (and some outside it), organisation
    B's child. The comments give each incident's local authority (LA) and police force (PF)."""
    # Cerys: looked after, Cardiff's, living in Swansea: placed out of area. LA Cardiff.
    cerys = world.child
    # C1: PF South Wales (reported there). Held 24h after the return; a follow-up held later
    # by a social worker (the latest held: "held by" counts this one).
    c1 = an_episode(session, cerys, utc(2026, 2, 10, 10), utc(2026, 2, 11, 9), SOUTH_WALES,
                    "medium")
    first = held(session, c1, utc(2026, 2, 12, 9), "independent_service",
                 [("push_factor", "family_conflict"), ("push_factor", "placement_problems"),
                  ("harm", "sexual_exploitation")])
    own_section(session, first, [("push_factor", "family_conflict"),
                                 ("pull_factor", "to_see_friends")])
    a_referral(session, first, "safeguarding_referral", ReferralStatus.MADE)
    a_referral(session, first, "specialist_exploitation_service", ReferralStatus.SUGGESTED)
    an_active_offer(session, first, True, OfferResponse.ACCEPTED)
    follow_up = held(session, c1, utc(2026, 2, 20, 9), "social_worker",
                     [("push_factor", "family_conflict")])
    a_referral(session, follow_up, "safeguarding_referral", ReferralStatus.ACCEPTED)
    # C2: PF Gwent (reported there, not the authority's force). A repeat. First interview
    # declined; a second held exactly 72 hours after the return, by the council's team.
    c2 = an_episode(session, cerys, utc(2026, 5, 1, 20), utc(2026, 5, 2, 8), GWENT, "high")
    an_interview(session, c2, offered_at=utc(2026, 5, 2, 9), consent=Consent.DECLINED,
                 declined_by="child")
    second = held(session, c2, utc(2026, 5, 5, 8), "council_team")
    a_referral(session, second, "repeat_multi_agency_discussion", ReferralStatus.DISMISSED)
    an_active_offer(session, second, True, OfferResponse.DECLINED)

    # Dylan: not looked after, no authority recorded: LA not recorded.
    dylan = world.colleague_child
    # D1: PF Gwent. Held 72 hours and a minute after the return, interviewer type not recorded.
    d1 = an_episode(session, dylan, utc(2026, 3, 3, 12), utc(2026, 3, 3, 20), GWENT, "low")
    held(session, d1, utc(2026, 3, 6, 20, 1), None, [("pull_factor", "to_see_friends")])
    # D2: no force and no authority: PF not recorded. Not back; no risk grade; a repeat.
    an_episode(session, dylan, utc(2026, 7, 1, 12))

    # Ffion: the other team's; not looked after; lives in Newport: LA Newport, PF Gwent (the
    # force covering Newport, none recorded on the episode).
    ffion = world.other_team_child
    ffion.host_authority_code = NEWPORT
    f1 = an_episode(session, ffion, utc(2026, 4, 4, 9), utc(2026, 4, 4, 18), None, "low")
    offered_only = an_interview(session, f1, offered_at=utc(2026, 4, 4, 19))
    a_referral(session, offered_only, "other", ReferralStatus.ACCEPTED)

    # Gethin: looked after by Powys, living there (not out of area): LA Powys. One episode in
    # 2025, so all seven of 2026 are repeats: G1-G6 reported to Dyfed-Powys, G7 to South Wales.
    gethin = a_child(session, cerys, "Gethin", looked_after=True,
                     placing_authority_code=POWYS, host_authority_code=POWYS)
    an_episode(session, gethin, utc(2025, 11, 1, 10), utc(2025, 11, 2, 10), DYFED_POWYS)
    months = (1, 2, 3, 4, 5, 6)
    g = [an_episode(session, gethin, utc(2026, month, 5, 10), utc(2026, month, 5, 18),
                    DYFED_POWYS, "medium" if month <= 3 else None) for month in months]
    an_episode(session, gethin, utc(2026, 8, 5, 10), utc(2026, 8, 5, 18), SOUTH_WALES)
    g1 = held(session, g[0], utc(2026, 1, 7, 10), "independent_service",
              [("push_factor", "school_problems"), ("harm", "criminal_exploitation"),
               ("harm", "drugs_or_alcohol")])
    own_section(session, g1, [("push_factor", "bullying")])
    a_referral(session, g1, "substance_misuse_service", ReferralStatus.DECLINED)
    a_referral(session, g1, "repeat_first_episode_interview", ReferralStatus.SUGGESTED)
    an_active_offer(session, g1, False, OfferResponse.PENDING)

    # Heledd: not looked after, lives in Gwynedd: LA Gwynedd, PF North Wales. H1 reported at
    # 23:30 on 31 December 2026 (GMT: the same in Wales) is in 2026, and a repeat of the one
    # at 23:30 on 31 December 2025, which is not in 2026; nor is one at 00:30 on 1 January 2027.
    heledd = a_child(session, cerys, "Heledd", host_authority_code=GWYNEDD)
    an_episode(session, heledd, utc(2025, 12, 31, 23, 30), utc(2026, 1, 1, 5), NORTH_WALES)
    an_episode(session, heledd, utc(2026, 12, 31, 23, 30), utc(2027, 1, 1, 5), NORTH_WALES,
               "no_apparent_risk")
    an_episode(session, heledd, utc(2027, 1, 1, 0, 30), None, NORTH_WALES)

    # Iwan: not looked after, lives in Cardiff: LA Cardiff, PF South Wales. Held by the police
    # 12h after; his own section gives a push and a pull factor; advocacy taken up.
    iwan = a_child(session, cerys, "Iwan", host_authority_code=CARDIFF)
    i1 = an_episode(session, iwan, utc(2026, 9, 9, 9), utc(2026, 9, 9, 21), SOUTH_WALES,
                    "medium")
    by_police = held(session, i1, utc(2026, 9, 10, 9), "police")
    own_section(session, by_police, [("push_factor", "family_conflict"),
                                     ("pull_factor", "parties")])
    a_referral(session, by_police, "safeguarding_referral", ReferralStatus.OFFERED)
    an_active_offer(session, by_police, True, OfferResponse.ACCEPTED)

    # Organisation B's child, placed by Cardiff: nothing of it may count.
    osian = world.outsider_child
    osian.looked_after, osian.placing_authority_code = True, CARDIFF
    o1 = an_episode(session, osian, utc(2026, 6, 1, 10), utc(2026, 6, 1, 12), SOUTH_WALES, "high")
    theirs = held(session, o1, utc(2026, 6, 2, 10), "police", [("harm", "sexual_exploitation")])
    a_referral(session, theirs, "safeguarding_referral", ReferralStatus.MADE)
    an_active_offer(session, theirs, True, OfferResponse.ACCEPTED)
    session.commit()
    return world


# --- what the report should say -----------------------------------------------------------
class Expected:
    """Figures by hand: expect(measure, kind, {area: (looked after, not, all)}, category)."""

    def __init__(self):
        self.values: dict[FactKey, int] = {}

    def __call__(self, measure, kind, rows: dict, category=""):
        for area, counts in rows.items():
            for status, count in zip(CARE_STATUSES, counts, strict=True):
                key = FactKey(measure, kind, area, status, category)
                assert key not in self.values, key
                self.values[key] = count


def organisation_figures() -> Expected:
    expect = Expected()
    # Incidents: Cardiff C1 C2 (looked after), I1; Newport F1; Powys G1-G7; Gwynedd H1; LA not
    # recorded D1 D2. South Wales C1 G7, I1; Gwent C2, D1 F1; Dyfed-Powys G1-G6; North Wales
    # H1; PF not recorded D2. 9 looked after (Cerys 2, Gethin 7) and 5 not.
    expect("incidents", LA, {CARDIFF: (2, 1, 3), NEWPORT: (0, 1, 1), POWYS: (7, 0, 7),
                             GWYNEDD: (0, 1, 1), NO_AREA: (0, 2, 2), ALL_AREAS: (9, 5, 14)})
    expect("incidents", PF, {SOUTH_WALES: (2, 1, 3), GWENT: (1, 2, 3), DYFED_POWYS: (6, 0, 6),
                             NORTH_WALES: (0, 1, 1), NO_AREA: (0, 1, 1), ALL_AREAS: (9, 5, 14)})
    # Children: Cerys and Iwan in Cardiff; Cerys in two forces, Gethin too; 2 + 4 in all.
    expect("children", LA, {CARDIFF: (1, 1, 2), NEWPORT: (0, 1, 1), POWYS: (1, 0, 1),
                            GWYNEDD: (0, 1, 1), NO_AREA: (0, 1, 1), ALL_AREAS: (2, 4, 6)})
    expect("children", PF, {SOUTH_WALES: (2, 1, 3), GWENT: (1, 2, 3), DYFED_POWYS: (1, 0, 1),
                            NORTH_WALES: (0, 1, 1), NO_AREA: (0, 1, 1), ALL_AREAS: (2, 4, 6)})
    # Repeats: C2; D2; G1-G7 (after 2025's); H1 (after 31 December 2025's).
    expect("repeat_incidents", LA, {CARDIFF: (1, 0, 1), POWYS: (7, 0, 7), GWYNEDD: (0, 1, 1),
                                    NO_AREA: (0, 1, 1), ALL_AREAS: (8, 2, 10)})
    expect("repeat_incidents", PF, {SOUTH_WALES: (1, 0, 1), GWENT: (1, 0, 1),
                                    DYFED_POWYS: (6, 0, 6), NORTH_WALES: (0, 1, 1),
                                    NO_AREA: (0, 1, 1), ALL_AREAS: (8, 2, 10)})
    # Out of area: Cerys's C1 (South Wales) and C2 (Gwent).
    expect("out_of_area_incidents", LA, {CARDIFF: (2, 0, 2), ALL_AREAS: (2, 0, 2)})
    expect("out_of_area_incidents", PF, {SOUTH_WALES: (1, 0, 1), GWENT: (1, 0, 1),
                                         ALL_AREAS: (2, 0, 2)})
    # Bands, by incidents in the row's area: Cerys 2, Gethin 7, Dylan 2, Ffion, Heledd and
    # Iwan 1 each (one authority each). By force: each child has 1 in each force but Gethin's
    # 6 in Dyfed-Powys; all forces together, the same as by authority.
    expect("children_by_band", LA, {CARDIFF: (0, 1, 1), NEWPORT: (0, 1, 1), GWYNEDD: (0, 1, 1),
                                    ALL_AREAS: (0, 3, 3)}, "1")
    expect("children_by_band", LA, {CARDIFF: (1, 0, 1), NO_AREA: (0, 1, 1),
                                    ALL_AREAS: (1, 1, 2)}, "2")
    expect("children_by_band", LA, {POWYS: (1, 0, 1), ALL_AREAS: (1, 0, 1)}, "6-10")
    expect("children_by_band", PF, {SOUTH_WALES: (2, 1, 3), GWENT: (1, 2, 3),
                                    NORTH_WALES: (0, 1, 1), NO_AREA: (0, 1, 1),
                                    ALL_AREAS: (0, 3, 3)}, "1")
    expect("children_by_band", PF, {ALL_AREAS: (1, 1, 2)}, "2")
    expect("children_by_band", PF, {DYFED_POWYS: (1, 0, 1), ALL_AREAS: (1, 0, 1)}, "6-10")
    # Offered: C1, C2, G1 (looked after); D1, F1, I1.
    expect("offered", LA, {CARDIFF: (2, 1, 3), NEWPORT: (0, 1, 1), POWYS: (1, 0, 1),
                           NO_AREA: (0, 1, 1), ALL_AREAS: (3, 3, 6)})
    expect("offered", PF, {SOUTH_WALES: (1, 1, 2), GWENT: (1, 2, 3), DYFED_POWYS: (1, 0, 1),
                           ALL_AREAS: (3, 3, 6)})
    # Accepted and held alike: C1 (two interviews, once), C2 (its second), G1; D1, I1.
    for measure in ("accepted", "conducted"):
        expect(measure, LA, {CARDIFF: (2, 1, 3), POWYS: (1, 0, 1), NO_AREA: (0, 1, 1),
                             ALL_AREAS: (3, 2, 5)})
        expect(measure, PF, {SOUTH_WALES: (1, 1, 2), GWENT: (1, 1, 2), DYFED_POWYS: (1, 0, 1),
                             ALL_AREAS: (3, 2, 5)})
    # Declined: C2's first interview.
    expect("declined", LA, {CARDIFF: (1, 0, 1), ALL_AREAS: (1, 0, 1)})
    expect("declined", PF, {GWENT: (1, 0, 1), ALL_AREAS: (1, 0, 1)})
    # Within 72 hours: C1 (24h), C2 (exactly 72h), G1 (40h), I1 (12h); not D1 (72h 1min).
    expect("conducted_within_72_hours", LA, {CARDIFF: (2, 1, 3), POWYS: (1, 0, 1),
                                             ALL_AREAS: (3, 1, 4)})
    expect("conducted_within_72_hours", PF, {SOUTH_WALES: (1, 1, 2), GWENT: (1, 0, 1),
                                             DYFED_POWYS: (1, 0, 1), ALL_AREAS: (3, 1, 4)})
    # Held by, the latest held interview: C1 social worker, C2 council team, G1 independent
    # service; D1 not recorded, I1 police.
    expect("conducted_by", LA, {CARDIFF: (1, 0, 1), ALL_AREAS: (1, 0, 1)}, "social_worker")
    expect("conducted_by", LA, {CARDIFF: (1, 0, 1), ALL_AREAS: (1, 0, 1)}, "council_team")
    expect("conducted_by", LA, {CARDIFF: (0, 1, 1), ALL_AREAS: (0, 1, 1)}, "police")
    expect("conducted_by", LA, {POWYS: (1, 0, 1), ALL_AREAS: (1, 0, 1)}, "independent_service")
    expect("conducted_by", LA, {NO_AREA: (0, 1, 1), ALL_AREAS: (0, 1, 1)}, "not_recorded")
    expect("conducted_by", PF, {SOUTH_WALES: (1, 0, 1), ALL_AREAS: (1, 0, 1)}, "social_worker")
    expect("conducted_by", PF, {GWENT: (1, 0, 1), ALL_AREAS: (1, 0, 1)}, "council_team")
    expect("conducted_by", PF, {SOUTH_WALES: (0, 1, 1), ALL_AREAS: (0, 1, 1)}, "police")
    expect("conducted_by", PF, {DYFED_POWYS: (1, 0, 1), ALL_AREAS: (1, 0, 1)},
           "independent_service")
    expect("conducted_by", PF, {GWENT: (0, 1, 1), ALL_AREAS: (0, 1, 1)}, "not_recorded")
    # The worker's codes: C1 family conflict (in both its interviews: once) and placement
    # problems, harm sexual exploitation; G1 school problems, two harms; D1 a pull factor.
    for kind, c1_area, g1_area, d1_area in ((LA, CARDIFF, POWYS, NO_AREA),
                                            (PF, SOUTH_WALES, DYFED_POWYS, GWENT)):
        for code in ("family_conflict", "placement_problems"):
            expect("push_factor_worker", kind, {c1_area: (1, 0, 1), ALL_AREAS: (1, 0, 1)}, code)
        expect("push_factor_worker", kind, {g1_area: (1, 0, 1), ALL_AREAS: (1, 0, 1)},
               "school_problems")
        expect("harms", kind, {c1_area: (1, 0, 1), ALL_AREAS: (1, 0, 1)}, "sexual_exploitation")
        for code in ("criminal_exploitation", "drugs_or_alcohol"):
            expect("harms", kind, {g1_area: (1, 0, 1), ALL_AREAS: (1, 0, 1)}, code)
        expect("pull_factor_worker", kind, {d1_area: (0, 1, 1), ALL_AREAS: (0, 1, 1)},
               "to_see_friends")
        # The young people's own: C1 and I1 (both Cardiff, both South Wales) family conflict;
        # G1 bullying; C1 to see friends, I1 parties.
        expect("push_factor_young_person", kind, {c1_area: (1, 1, 2), ALL_AREAS: (1, 1, 2)},
               "family_conflict")
        expect("push_factor_young_person", kind, {g1_area: (1, 0, 1), ALL_AREAS: (1, 0, 1)},
               "bullying")
        expect("pull_factor_young_person", kind, {c1_area: (1, 0, 1), ALL_AREAS: (1, 0, 1)},
               "to_see_friends")
        expect("pull_factor_young_person", kind, {c1_area: (0, 1, 1), ALL_AREAS: (0, 1, 1)},
               "parties")
    # Risk grades: C1 medium, C2 high, D1 low, D2 none, F1 low, G1-G3 medium, G4-G7 none, H1 no
    # apparent risk, I1 medium.
    expect("risk_grades", LA, {CARDIFF: (1, 1, 2), POWYS: (3, 0, 3), ALL_AREAS: (4, 1, 5)},
           "medium")
    expect("risk_grades", LA, {CARDIFF: (1, 0, 1), ALL_AREAS: (1, 0, 1)}, "high")
    expect("risk_grades", LA, {NEWPORT: (0, 1, 1), NO_AREA: (0, 1, 1), ALL_AREAS: (0, 2, 2)},
           "low")
    expect("risk_grades", LA, {POWYS: (4, 0, 4), NO_AREA: (0, 1, 1), ALL_AREAS: (4, 1, 5)},
           "not_recorded")
    expect("risk_grades", LA, {GWYNEDD: (0, 1, 1), ALL_AREAS: (0, 1, 1)}, "no_apparent_risk")
    expect("risk_grades", PF, {SOUTH_WALES: (1, 1, 2), DYFED_POWYS: (3, 0, 3),
                               ALL_AREAS: (4, 1, 5)}, "medium")
    expect("risk_grades", PF, {GWENT: (1, 0, 1), ALL_AREAS: (1, 0, 1)}, "high")
    expect("risk_grades", PF, {GWENT: (0, 2, 2), ALL_AREAS: (0, 2, 2)}, "low")
    expect("risk_grades", PF, {SOUTH_WALES: (1, 0, 1), DYFED_POWYS: (3, 0, 3), NO_AREA: (0, 1, 1),
                               ALL_AREAS: (4, 1, 5)}, "not_recorded")
    expect("risk_grades", PF, {NORTH_WALES: (0, 1, 1), ALL_AREAS: (0, 1, 1)}, "no_apparent_risk")
    # Referrals made (made, accepted or declined), counted one by one: C1 two safeguarding
    # referrals (made; accepted); F1 another (accepted); G1 substance misuse (declined). Not
    # C1's suggested, C2's dismissed, I1's offered, G1's suggested.
    expect("referrals_made", LA, {CARDIFF: (2, 0, 2), ALL_AREAS: (2, 0, 2)},
           "safeguarding_referral")
    expect("referrals_made", LA, {NEWPORT: (0, 1, 1), ALL_AREAS: (0, 1, 1)}, "other")
    expect("referrals_made", LA, {POWYS: (1, 0, 1), ALL_AREAS: (1, 0, 1)},
           "substance_misuse_service")
    expect("referrals_made", PF, {SOUTH_WALES: (2, 0, 2), ALL_AREAS: (2, 0, 2)},
           "safeguarding_referral")
    expect("referrals_made", PF, {GWENT: (0, 1, 1), ALL_AREAS: (0, 1, 1)}, "other")
    expect("referrals_made", PF, {DYFED_POWYS: (1, 0, 1), ALL_AREAS: (1, 0, 1)},
           "substance_misuse_service")
    # Advocacy offered at C1, C2, I1 (not G1: recorded as not offered); taken up at C1 and I1.
    expect("advocacy_offered", LA, {CARDIFF: (2, 1, 3), ALL_AREAS: (2, 1, 3)})
    expect("advocacy_offered", PF, {SOUTH_WALES: (1, 1, 2), GWENT: (1, 0, 1),
                                    ALL_AREAS: (2, 1, 3)})
    expect("advocacy_taken_up", LA, {CARDIFF: (1, 1, 2), ALL_AREAS: (1, 1, 2)})
    expect("advocacy_taken_up", PF, {SOUTH_WALES: (1, 1, 2), ALL_AREAS: (1, 1, 2)})
    # A repeat threshold's referral (multi-agency discussion) at C2, dismissed: still crossed.
    # G1's first-episode interview is not a repeat threshold.
    expect("thresholds_crossed", LA, {CARDIFF: (1, 0, 1), ALL_AREAS: (1, 0, 1)})
    expect("thresholds_crossed", PF, {GWENT: (1, 0, 1), ALL_AREAS: (1, 0, 1)})
    return expect


ORGANISATION_AREAS = {LA: {CARDIFF, NEWPORT, POWYS, GWYNEDD, NO_AREA, ALL_AREAS},
                      PF: {SOUTH_WALES, GWENT, DYFED_POWYS, NORTH_WALES, NO_AREA, ALL_AREAS}}


# --- checks every report must pass ---------------------------------------------------------
def areas_of(report: Report) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for key in report.values:
        found.setdefault(key.area_kind, set()).add(key.area)
    return found


def assert_every_cell_present(report: Report) -> None:
    """Every measure, area row, care status and category has a value, zeros included."""
    for kind, areas in areas_of(report).items():
        for measure in MEASURES:
            for area in areas:
                for status in CARE_STATUSES:
                    for category in measure.category_codes():
                        assert FactKey(measure.key, kind, area, status, category) in report.values


def assert_relations_hold(report: Report) -> None:
    assert report.relations
    for relation in report.relations:
        assert relation.total in report.values, relation
        assert all(part in report.values for part in relation.parts), relation
        assert report.values[relation.total] == sum(report.values[p] for p in relation.parts), (
            relation)


def assert_figures(report: Report, expected: Expected) -> None:
    assert {key: value for key, value in report.values.items() if value} == {
        key: value for key, value in expected.values.items() if value}
    assert all(report.values[key] == value for key, value in expected.values.items())


# --- the tests -----------------------------------------------------------------------------
def test_the_organisations_figures_are_the_ones_worked_out_by_hand(session, cases):
    report = annual_report(session, Scope(cases.org_a.id), YEAR)

    assert areas_of(report) == ORGANISATION_AREAS
    assert_figures(report, organisation_figures())
    assert_every_cell_present(report)
    assert report.suppressed == frozenset()
    # A figure with no category has "" as its category; zeros are there, not gaps.
    assert report.values[FactKey("incidents", LA, NEWPORT, "looked_after")] == 0
    assert report.values[FactKey("harms", PF, GWENT, "all", "fgm")] == 0


def test_the_relations_are_exactly_the_ones_that_hold(session, cases):
    report = annual_report(session, Scope(cases.org_a.id), YEAR)
    assert_relations_hold(report)
    totals: dict[FactKey, list] = {}  # a total may have several ways of adding up
    for relation in report.relations:
        totals.setdefault(relation.total, []).append(relation.parts)

    def key(measure, kind, area, status="all", category=""):
        return FactKey(measure, kind, area, status, category)

    # all = looked after + not, for every measure, area and category.
    assert (key("children", PF, GWENT, "looked_after"),
            key("children", PF, GWENT, "not_looked_after")) in totals[key("children", PF, GWENT)]
    # ALL = the areas', the area not recorded included, where the units add up over areas.
    # (The incidents add up a second way: by risk grade.)
    assert sorted(parts[0].measure for parts in totals[key("incidents", PF, ALL_AREAS, "looked_after")]
                  ) == ["incidents", "risk_grades"]
    assert {key("incidents", PF, area, "looked_after") for area in ORGANISATION_AREAS[PF] - {ALL_AREAS}
            } in [set(parts) for parts in totals[key("incidents", PF, ALL_AREAS, "looked_after")]]
    # Children by authority: over the five areas, and as the bands add up.
    assert sorted(len(parts) for parts in totals[key("children", LA, ALL_AREAS, "not_looked_after")]
                  ) == [5, len(MEASURES_BY_KEY["children_by_band"].category_codes())]
    # A child can go missing in two forces (Cerys, Gethin): children by force do not add up
    # over the forces, only as the bands do.
    assert [parts[0].measure for parts in totals[key("children", PF, ALL_AREAS, "looked_after")]
            ] == ["children_by_band"]
    assert key("children_by_band", PF, ALL_AREAS, "all", "1") in totals  # looked after + not
    assert key("children_by_band", PF, ALL_AREAS, "looked_after", "1") not in totals
    # The categories that count every unit once add up to their measure.
    bands = MEASURES_BY_KEY["children_by_band"].category_codes()
    assert tuple(key("children_by_band", PF, DYFED_POWYS, "looked_after", band) for band in bands
                 ) in totals[key("children", PF, DYFED_POWYS, "looked_after")]
    assert tuple(key("conducted_by", LA, CARDIFF, "all", code)
                 for code in MEASURES_BY_KEY["conducted_by"].category_codes()
                 ) in totals[key("conducted", LA, CARDIFF)]
    assert any(key("risk_grades", LA, POWYS, "all", "low") in parts
               for parts in totals[key("incidents", LA, POWYS)])
    # Multiple choice categories (push factors) sum to nothing.
    assert not any(part.measure == "push_factor_worker" and part.category != ""
                   and relation.total.measure != "push_factor_worker"
                   for relation in report.relations for part in relation.parts)


def test_a_team_counts_only_its_own_childrens_incidents(session, cases):
    """The supervisor's team: Ffion (the other team's, Newport) is left out."""
    report = annual_report(session, Scope(cases.org_a.id, team_id=cases.team_a.id), YEAR)

    assert areas_of(report) == {LA: ORGANISATION_AREAS[LA] - {NEWPORT}, PF: ORGANISATION_AREAS[PF]}
    values = report.values
    # Gwent without F1: C2 (looked after) and D1.
    assert [values[FactKey("incidents", PF, GWENT, s)] for s in CARE_STATUSES] == [1, 1, 2]
    assert [values[FactKey("incidents", LA, ALL_AREAS, s)] for s in CARE_STATUSES] == [9, 4, 13]
    assert [values[FactKey("children", PF, ALL_AREAS, s)] for s in CARE_STATUSES] == [2, 3, 5]
    assert [values[FactKey("offered", PF, GWENT, s)] for s in CARE_STATUSES] == [1, 1, 2]
    # F1's referral (another, accepted) is gone; F1's low risk grade too.
    assert values[FactKey("referrals_made", LA, ALL_AREAS, "all", "other")] == 0
    assert values[FactKey("risk_grades", PF, GWENT, "all", "low")] == 1
    assert_every_cell_present(report)
    assert_relations_hold(report)


def test_a_commissioner_sees_only_the_areas_granted(session, cases):
    """Cardiff and Swansea (no incidents: a row of zeros) and South Wales Police; no row for
    areas not recorded; ALL is the granted areas together."""
    scope = Scope(cases.org_a.id, areas=frozenset({CARDIFF, SWANSEA, SOUTH_WALES}))
    report = annual_report(session, scope, YEAR)
    values = report.values

    assert areas_of(report) == {LA: {CARDIFF, SWANSEA, ALL_AREAS},
                                PF: {SOUTH_WALES, ALL_AREAS}}
    expect = Expected()
    # Cardiff: C1 C2 (looked after), I1. South Wales: C1 G7, I1.
    for area in (CARDIFF, ALL_AREAS):
        expect("incidents", LA, {area: (2, 1, 3)})
    expect("incidents", LA, {SWANSEA: (0, 0, 0)})
    expect("incidents", PF, {SOUTH_WALES: (2, 1, 3), ALL_AREAS: (2, 1, 3)})
    # Cerys, Gethin, Iwan in South Wales, one incident each there: band 1, even Gethin's.
    expect("children", PF, {SOUTH_WALES: (2, 1, 3), ALL_AREAS: (2, 1, 3)})
    expect("children_by_band", PF, {SOUTH_WALES: (2, 1, 3), ALL_AREAS: (2, 1, 3)}, "1")
    expect("children_by_band", PF, {SOUTH_WALES: (0, 0, 0), ALL_AREAS: (0, 0, 0)}, "6-10")
    # Cerys's C1 is in South Wales; C2 (Gwent) is not counted by force.
    expect("out_of_area_incidents", PF, {SOUTH_WALES: (1, 0, 1), ALL_AREAS: (1, 0, 1)})
    expect("out_of_area_incidents", LA, {CARDIFF: (2, 0, 2), ALL_AREAS: (2, 0, 2)})
    expect("thresholds_crossed", PF, {ALL_AREAS: (0, 0, 0)})
    assert all(values[key] == value for key, value in expect.values.items())
    assert_every_cell_present(report)
    assert_relations_hold(report)

    only_authorities = annual_report(session, Scope(cases.org_a.id, areas=frozenset({POWYS})),
                                     YEAR)
    assert areas_of(only_authorities) == {LA: {POWYS, ALL_AREAS}}
    assert only_authorities.values[FactKey("incidents", LA, ALL_AREAS, "all")] == 7


def test_another_organisations_records_never_count(session, cases):
    report = annual_report(session, Scope(cases.org_b.id), YEAR)
    # Osian's one incident, placed by Cardiff and reported to South Wales Police.
    assert areas_of(report) == {LA: {CARDIFF, ALL_AREAS}, PF: {SOUTH_WALES, ALL_AREAS}}
    assert report.values[FactKey("incidents", LA, ALL_AREAS, "looked_after")] == 1
    assert report.values[FactKey("referrals_made", PF, SOUTH_WALES, "all",
                                 "safeguarding_referral")] == 1


def test_an_empty_year_has_only_the_whole_row_of_zeros(session, cases):
    report = annual_report(session, Scope(cases.org_a.id), Period.year(2024))
    assert areas_of(report) == {LA: {ALL_AREAS}, PF: {ALL_AREAS}}
    assert not any(report.values.values())
    assert_relations_hold(report)


def test_the_period_is_the_day_in_wales_it_was_reported(session, world):
    """In July, by Welsh days: 00:30 BST on 1 July (23:30 UTC on 30 June) is in, 23:59 BST on
    30 June is not; 23:59 BST on 31 July is in, 00:30 BST on 1 August is not."""
    for moment in (local(2026, 6, 30, 23, 59), local(2026, 7, 1, 0, 30),
                   local(2026, 7, 31, 23, 59), local(2026, 8, 1, 0, 30)):
        an_episode(session, world.colleague_child, moment, force=GWENT)
    session.commit()
    assert utc(2026, 6, 30, 23, 30) == local(2026, 7, 1, 0, 30)

    july = annual_report(session, Scope(world.org_a.id),
                         Period(datetime(2026, 7, 1).date(), datetime(2026, 7, 31).date()))
    assert july.values[FactKey("incidents", PF, GWENT, "all")] == 2
    # Of the two, the first (1 July) followed one on 30 June: a repeat; so did the second.
    assert july.values[FactKey("repeat_incidents", PF, GWENT, "all")] == 2
    june = annual_report(session, Scope(world.org_a.id),
                         Period(datetime(2026, 6, 1).date(), datetime(2026, 6, 30).date()))
    assert june.values[FactKey("incidents", PF, GWENT, "all")] == 1


SEVENTY_TWO = timedelta(hours=72)
# (returned, held, held within 72 hours?) in real time, whatever the wall clock says.
DEADLINES = {
    "exactly 72 hours": (utc(2026, 4, 10, 9), utc(2026, 4, 13, 9), True),
    "72 hours and a minute": (utc(2026, 4, 10, 9), utc(2026, 4, 13, 9, 1), False),
    # Back at 12:00 BST on 24 October, held at 11:30 GMT on 27 October: the wall clock says
    # 71h30m, but the clocks went back on the 25th: 72h30m passed.
    "across October's change": (local(2026, 10, 24, 12), local(2026, 10, 27, 11, 30), False),
    # Back at 12:00 GMT on 28 March, held at 12:30 BST on 31 March: the wall clock says 72h30m,
    # but the clocks went forward on the 29th: 71h30m passed.
    "across March's change": (local(2026, 3, 28, 12), local(2026, 3, 31, 12, 30), True),
    "to the microsecond": (utc(2026, 5, 10, 9, 0, 0, 999_900), utc(2026, 5, 13, 9, 0, 0, 999_900),
                           True),
    "a microsecond late": (utc(2026, 5, 10, 9, 0, 0, 250_000), utc(2026, 5, 13, 9, 0, 0, 250_001),
                           False),
    "12 hours": (utc(2026, 6, 1, 9), utc(2026, 6, 1, 21), True),
}


@pytest.mark.parametrize("returned, held_at, within", DEADLINES.values(), ids=DEADLINES.keys())
def test_held_within_72_hours_is_real_time(session, world, returned, held_at, within):
    assert within_deadline(returned, held_at) is within  # the clock's own answer agrees
    made = an_episode(session, world.child, returned - timedelta(hours=2), returned, SOUTH_WALES)
    held(session, made, held_at, "independent_service")
    session.commit()

    report = annual_report(session, Scope(world.org_a.id), YEAR)
    assert report.values[FactKey("conducted", PF, SOUTH_WALES, "looked_after")] == 1
    assert report.values[FactKey("conducted_within_72_hours", PF, SOUTH_WALES,
                                 "looked_after")] == int(within)
    assert report.values[FactKey("conducted_within_72_hours", LA, ALL_AREAS, "all")] == int(within)


def test_the_published_report_hides_every_small_count_and_gives_none_away(session, cases):
    """The organisation's real report, suppressed as it is published: every count from 1 to 4
    hidden, and the attacker of the suppression tests, working from everything shown and every
    relation that holds, recovers none of the hidden counts."""
    report = suppress(annual_report(session, Scope(cases.org_a.id), YEAR))

    small = {key for key, value in report.values.items() if 1 <= value <= 4}
    assert small and small <= report.suppressed
    assert recover(report) == {}
    for key in report.values:
        shown = report.shown(key)
        assert shown is None or not 1 <= shown <= 4
