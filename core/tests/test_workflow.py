"""Declared workflows: who may take which step, the conditional move, history, audit, 409."""

from __future__ import annotations

import pytest
from balai import toolkit as tk
from balai.audit.tables import AuditEntry
from balai.testing import make_login_as, make_post_form, open_client, run_in_city
from balai.workflow.tables import WorkflowStep
from litestar import Request, Response, post
from litestar.params import FromPath
from piccolo.columns import Integer, Varchar
from test_platform_uji_plugin import IMPORT_PERMISSION, IMPORT_ROLE, SLUG, uji_registry

HANDLE = IMPORT_PERMISSION  # a permission the uji plugin declares, granted by IMPORT_ROLE


class Ticket(tk.CityTable, tablename="uji_ticket"):
    """A record with a state, made by the tests themselves (no migration)."""

    status = Varchar(length=40, default="open")
    kind = Varchar(length=20, default="road")
    reporter_id = Integer(null=True, default=None)


MOVES: list[tuple[str, str]] = []


async def remember(record, step) -> None:
    MOVES.append((step.from_state, step.to_state))
    if record.get("kind") == "explode":
        raise RuntimeError("after_move failed")


TICKETS = tk.Workflow(
    "uji.ticket",
    table=Ticket,
    state_column=Ticket.status,
    states={
        "open": tk.N_("Open"),
        "working": tk.N_("In progress"),
        "escalated": tk.N_("Escalated"),
        "closed": tk.N_("Closed"),
    },
    transitions=[
        tk.Transition("start", ("open",), "working", tk.N_("Start work"), by=(HANDLE,)),
        tk.Transition(
            "escalate",
            ("working",),
            "escalated",
            tk.N_("Escalate"),
            by=(HANDLE,),
            when=lambda r: r["kind"] == "road",
        ),
        tk.Transition(
            "close",
            ("open", "working", "escalated"),
            "closed",
            tk.N_("Close"),
            by=(HANDLE, "system"),
            comment="required",
        ),
        tk.Transition("withdraw", ("open",), "closed", tk.N_("Withdraw"), by=("reporter",)),
    ],
    after_move=remember,
)
OFFICER = tk.Actor(1, frozenset({HANDLE}))
REPORTER = tk.Actor(2, parties=frozenset({"reporter"}))
STRANGER = tk.Actor(3)


def names(transitions) -> list[str]:
    return [t.name for t in transitions]


# --- the rules (no database) ---------------------------------------------------------


def test_each_actor_is_offered_only_its_steps():
    ticket = {"id": 1, "status": "open", "kind": "road"}
    assert names(TICKETS.available(ticket, OFFICER)) == ["start", "close"]
    assert names(TICKETS.available(ticket, REPORTER)) == ["withdraw"]
    assert names(TICKETS.available(ticket, STRANGER)) == []
    assert names(TICKETS.available(ticket, tk.Actor.system())) == ["close"]


def test_a_condition_on_the_record_hides_a_step():
    assert names(TICKETS.available({"status": "working", "kind": "road"}, OFFICER)) == [
        "escalate",
        "close",
    ]
    assert names(TICKETS.available({"status": "working", "kind": "water"}, OFFICER)) == ["close"]


@pytest.mark.parametrize(
    ("status", "name", "actor", "comment", "reason"),
    [
        ("open", "fly", OFFICER, "", "unknown"),
        ("closed", "start", OFFICER, "", "final"),
        ("open", "start", REPORTER, "", "not_allowed"),
        ("working", "withdraw", REPORTER, "", "not_allowed"),
        ("open", "close", OFFICER, "", "comment_required"),
        ("open", "close", OFFICER, "x" * 1001, "comment_too_long"),
    ],
)
def test_refusals_name_their_reason(status, name, actor, comment, reason):
    with pytest.raises(tk.MoveRefused) as refused:
        TICKETS.check({"id": 1, "status": status, "kind": "road"}, name, actor, comment)
    assert refused.value.reason == reason
    assert refused.value.current == status
    assert str(refused.value)


def test_states_no_step_leaves_are_final_and_labels_translate():
    assert TICKETS.final == {"closed"}
    assert TICKETS.label("working") == "In progress"
    assert list(TICKETS.labels()) == ["open", "working", "escalated", "closed"]


def test_actor_of_a_user_carries_permissions_and_parties():
    user = tk.CurrentUser(
        id=9,
        name="Sri",
        email="sri@contoh.id",
        phone=None,
        roles=frozenset(),
        permissions=frozenset({HANDLE}),
    )
    actor = tk.Actor.of(user, "reporter")
    assert actor.user_id == 9 and HANDLE in actor.permissions and "reporter" in actor.parties


@pytest.mark.parametrize(
    "declare",
    [
        lambda: tk.Workflow(
            "nokey", table=Ticket, state_column=Ticket.status, states={}, transitions=[]
        ),
        lambda: tk.Workflow(
            "uji.x",
            table=Ticket,
            state_column=Ticket.status,
            states={"a": "A"},
            transitions=[tk.Transition("go", ("a",), "b", "Go", by=("x.y",))],
        ),
        lambda: tk.Workflow(
            "uji.x",
            table=Ticket,
            state_column=Ticket.status,
            states={"a": "A", "b": "B"},
            transitions=[
                tk.Transition("go", ("a",), "b", "Go", by=("x.y",)),
                tk.Transition("go", ("b",), "a", "Back", by=("x.y",)),
            ],
        ),
        lambda: tk.Transition("go", ("a",), "b", "Go", by=()),
        lambda: tk.Transition("go", ("a",), "b", "Go", by=("x.y",), comment="maybe"),
    ],
)
def test_bad_declarations_fail_at_once(declare):
    with pytest.raises(ValueError):
        declare()


# --- moving, with the database ---------------------------------------------------------


def new_ticket(kind: str = "road"):
    async def make():
        await Ticket.create_table(if_not_exists=True)
        rows = await Ticket.insert(Ticket(kind=kind)).returning(Ticket.id)
        return await Ticket.select().where(Ticket.id == rows[0]["id"]).first()

    return make


def test_a_move_updates_the_record_writes_history_and_audits(client, city_run):
    ticket = city_run("malang", new_ticket())
    moved = city_run("malang", TICKETS.move, ticket, "start", OFFICER)
    assert moved["status"] == "working"
    city_run(
        "malang",
        lambda: TICKETS.move(moved, "close", OFFICER, comment="  Sudah   diperbaiki "),
    )

    async def read():
        row = await Ticket.select(Ticket.status).where(Ticket.id == ticket["id"]).first()
        audits = await AuditEntry.select(AuditEntry.action, AuditEntry.subject).where(
            AuditEntry.action.like("uji.ticket.%")
        )
        return row["status"], await TICKETS.history(ticket["id"]), audits

    status, history, audits = city_run("malang", read)
    assert status == "closed"
    assert [(h["from_state"], h["to_state"], h["transition"]) for h in history] == [
        ("open", "working", "start"),
        ("working", "closed", "close"),
    ]
    assert history[1]["comment"] == "Sudah diperbaiki" and history[1]["actor_id"] == 1
    assert [a["action"] for a in audits] == ["uji.ticket.start", "uji.ticket.close"]
    assert audits[0]["subject"] == f"uji.ticket:{ticket['id']}"


def test_a_record_that_moved_meanwhile_is_refused_and_nothing_is_written(client, city_run):
    ticket = city_run("malang", new_ticket())
    city_run("malang", TICKETS.move, ticket, "start", OFFICER)
    with pytest.raises(tk.StateChanged) as changed:
        city_run("malang", TICKETS.move, ticket, "withdraw", REPORTER)  # still thinks: open
    assert changed.value.status_code == 409 and changed.value.current == "working"
    assert "In progress" in changed.value.detail  # the test's labels have no catalog
    history = city_run("malang", TICKETS.history, ticket["id"])
    assert len(history) == 1


def test_a_failing_after_move_rolls_the_whole_move_back(client, city_run):
    ticket = city_run("malang", new_ticket("explode"))
    with pytest.raises(RuntimeError):
        city_run("malang", TICKETS.move, ticket, "start", OFFICER)

    async def read():
        row = await Ticket.select(Ticket.status).where(Ticket.id == ticket["id"]).first()
        return row["status"], await WorkflowStep.count().where(
            WorkflowStep.record_id == ticket["id"]
        )

    assert city_run("malang", read) == ("open", 0)


def test_history_is_per_city(client, city_run):
    ticket = city_run("malang", new_ticket())
    city_run("malang", TICKETS.move, ticket, "start", OFFICER)
    assert city_run("semarang", TICKETS.history, ticket["id"]) == []


# --- over HTTP: a refused move is a 409 page naming the state --------------------------


@post("/tiket/{ticket_id:int}/{step:str}", guards=[tk.require_login], name="uji:ticket-move")
async def move_ticket(request: Request, ticket_id: FromPath[int], step: FromPath[str]) -> Response:
    user = await tk.current_user(request)
    ticket = await Ticket.select().where(Ticket.id == ticket_id).first()
    form = await request.form()
    stale = form.get("seen")  # the state the page showed when the form was sent
    record = {**ticket, "status": stale} if stale else ticket
    try:
        await TICKETS.move(
            record, step, tk.Actor.of(user), comment=form.get("comment", ""), request=request
        )
    except tk.MoveRefused as exc:
        return Response(str(exc), status_code=400)
    return Response("moved", status_code=200)


def test_a_stale_form_gets_a_409_page_with_the_current_state(balai_app_factory, city_run):
    app = balai_app_factory(
        registry=uji_registry(extra_pages=(move_ticket,)), cities={"malang": [SLUG], "semarang": []}
    )
    with open_client(app) as client:
        post_form = make_post_form(client)
        make_login_as(client, app, post_form)(IMPORT_ROLE)

        async def make():
            return await new_ticket()()

        ticket = run_in_city(app, "malang", make)
        url = f"/malang/uji/tiket/{ticket['id']}"
        assert post_form(url + "/start", {}).status_code == 200
        refused = post_form(url + "/close", {})
        assert refused.status_code == 400 and "Berikan alasan" in refused.text
        stale = post_form(url + "/start", {"seen": "open"})
        assert stale.status_code == 409
        assert "Berubah sementara itu" in stale.text and "In progress" in stale.text


def test_a_deleted_account_leaves_its_steps_without_the_link(client, balai_app, city_run):
    ticket = city_run("malang", new_ticket())
    city_run("malang", TICKETS.move, ticket, "start", OFFICER)

    async def delete_and_read():
        city = tk.current_city()
        await balai_app.ui.registry.gather(city, "user_deleted", city=city, user_id=1)
        return await TICKETS.history(ticket["id"])

    history = city_run("malang", delete_and_read)
    assert [(h["to_state"], h["actor_id"]) for h in history] == [("working", None)]
