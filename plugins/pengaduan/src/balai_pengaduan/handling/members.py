"""The complaint desk's page: which officers work which department's queue, and its heads."""

from __future__ import annotations

from balai import toolkit as tk
from litestar import Request, Response, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Redirect

from balai_pengaduan.handling.forms import MemberForm
from balai_pengaduan.settings import ADMIN, city_settings
from balai_pengaduan.tables import Member

GUARD = [tk.require_permission(ADMIN)]
PATH = "/kelola/pengaduan/dinas"


async def _page(request: Request, form: MemberForm, status: int = 200) -> Response:
    rows = await Member.select().order_by(Member.department).order_by(Member.id)
    people = await tk.people(
        request, [r["user_id"] for r in rows], permission=ADMIN, subject="pengaduan.members"
    )
    names = {d.code: d.name for d in city_settings().departments}
    return await tk.render(
        request,
        "pengaduan/office_members.html",
        {"rows": rows, "people": people, "names": names, "form": form},
        status_code=status,
    )


@get("/dinas", guards=GUARD, name="pengaduan:members")
async def members(request: Request) -> Response:
    """The departments' officers and heads."""
    return await _page(request, MemberForm())


@post("/dinas", guards=GUARD, name="pengaduan:members-add")
async def members_add(request: Request) -> Response:
    """Put an officer (found by login, audited) in a department; refused for a non-officer."""
    form = MemberForm(await request.form())
    if not await form.validate():
        return await _page(request, form, 400)
    found = await tk.look_up_account(
        request, form.clean["login"], permission=ADMIN, subject="pengaduan.members"
    )
    if found is None:
        form.add_error("login", tk._("No account of this city logs in with that."))
        return await _page(request, form, 400)
    department = form.clean["department"]
    where = (Member.user_id == found.id) & (Member.department == department)
    if await Member.exists().where(where):
        await Member.update({Member.head: form.clean["head"]}).where(where)
    else:
        await Member.insert(
            Member(user_id=found.id, department=department, head=form.clean["head"])
        )
    user = await tk.current_user(request)
    await tk.audit_record(
        "pengaduan.member_set",
        actor_id=user.id,
        request=request,
        subject=f"pengaduan.member:{found.id}",
        detail={"department": department, "head": form.clean["head"]},
    )
    tk.flash(request, tk._("Saved."), "success")
    return Redirect(tk.city_url(request, PATH), status_code=303)


@post("/dinas/{member_id:int}/hapus", guards=GUARD, name="pengaduan:members-remove")
async def members_remove(request: Request, member_id: FromPath[int]) -> Response:
    """Take an officer out of a department."""
    row = await Member.select().where(Member.id == member_id).first()
    if row is None:
        raise NotFoundException()
    await Member.delete().where(Member.id == member_id)
    user = await tk.current_user(request)
    await tk.audit_record(
        "pengaduan.member_removed",
        actor_id=user.id,
        request=request,
        subject=f"pengaduan.member:{row['user_id']}",
        detail={"department": row["department"]},
    )
    tk.flash(request, tk._("Removed."), "success")
    return Redirect(tk.city_url(request, PATH), status_code=303)


OFFICE = [members, members_add, members_remove]
