"""A self-report as the tablet would send it, for the API and sync tests."""

HANDED_OVER = "2026-03-03T14:40:00+00:00"
STARTED = "2026-03-03T14:41:00+00:00"
FINISHED = "2026-03-03T14:55:00+00:00"
HANDED_BACK = "2026-03-03T14:56:00+00:00"
TELL_ADULTS = "I want to stay at my nan's."


def report_fields(interview_id, version_id, **changes) -> dict:
    """A finished section in English: some answered, one skipped, the rest not reached."""
    fields = {
        "interview_id": str(interview_id), "questionnaire_version_id": str(version_id),
        "language": "en", "first_language": "pl", "interpreter": False,
        "handed_over_at": HANDED_OVER, "started_at": STARTED, "finished_at": FINISHED,
        "handed_back_at": HANDED_BACK,
        "feeling_before": "bad", "feeling_away": "okay", "feeling_now": "good",
        "push_factors": ["family_conflict", "other"], "pull_factors": ["to_see_friends"],
        "talk_to": ["advocate"], "advocate_requested": True,
        "advocate_requested_at": FINISHED,
        "answers": {"yp_feel_safe_now": True, "yp_why_left_other": "Too loud at home",
                    "yp_tell_adults": TELL_ADULTS},
        "question_states": {
            "yp_feeling_before": "answered", "yp_feeling_away": "answered",
            "yp_feeling_today": "answered", "yp_feel_safe_now": "answered",
            "yp_why_left": "answered", "yp_why_left_other": "answered",
            "yp_where_who": "skipped", "yp_hurt": "skipped", "yp_make_things_better": "skipped",
            "yp_stop_next_time": "skipped", "yp_talk_to": "answered",
            "yp_tell_adults": "answered", "yp_where_live": "not_reached",
            "yp_feel_safe_where_live": "not_reached"},
    }
    return fields | changes


# Bad reports, each with the field refused and the words said (in English), the same through
# the API and a push.
BAD = {
    "an unknown code": ({"feeling_now": "ecstatic"}, "feeling_now", "Unknown code: ecstatic."),
    "an unknown reason": ({"push_factors": ["aliens"]}, "push_factors", "Unknown code: aliens."),
    "another language": ({"language": "fr"}, "language", None),
    "finished before started": ({"finished_at": "2026-03-03T14:40:30+00:00"}, "finished_at",
                                "The section cannot finish before it started."),
    "a skipped question with an answer": (
        {"answers": {"yp_where_who": "At a friend's"}}, "question_states.yp_where_who",
        "A question the young person chose not to answer holds no answer."),
    "a skipped coded question with an answer": (
        {"hurt": "no"}, "question_states.yp_hurt",
        "A question the young person chose not to answer holds no answer."),
    "a question of the worker's part": (
        {"answers": {"notes_read_back": True}}, "answers",
        "Not a question of the young person's section: notes_read_back."),
    "a state of an unknown question": (
        {"question_states": {"yp_nothing": "answered"}}, "question_states",
        "Not a question of the young person's section: yp_nothing."),
}
