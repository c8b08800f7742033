"""Journey (c) of issue 15: the officer files a hot-work permit for a night start and sees it raised to 一级
with the reason before filing; the signers sign their steps (each logs in as himself); a stale gas test
blocks the start with the message.

The journey files at 21:50 tonight and starts at 22:15 (Asia/Shanghai, time_machine with the clock ticking: the live
server shares this process's clock) so the planned window 22:00–次日 02:00 is the night band of
GB 30871-2022 §5.1.1 and the start is inside it."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from playwright.sync_api import expect

from tests.browser.conftest import login, shot

pytestmark = pytest.mark.browser
SH = ZoneInfo("Asia/Shanghai")
#: who may have something to do on a permit, in the order they are asked
SIGNERS = ["employee", "unitlead", "officer2", "principal", "officer"]


@pytest.fixture
def tonight():
    today = datetime.now(SH).date()
    at = datetime(today.year, today.month, today.day, 21, 50, tzinfo=SH)
    with time_machine.travel(at, tick=True) as traveller:
        yield at, traveller


def _local(d: datetime) -> str:
    return d.astimezone(SH).strftime("%Y-%m-%dT%H:%M")


def _open(page, permit_no: str) -> None:
    page.goto("/e/permits")
    page.locator(f"[data-permit='{permit_no}']").first.click()
    expect(page.locator("[data-test=permit-state]")).to_be_visible()


def _file_night_hot_work(page, start: datetime) -> str:
    page.goto("/e/permits")
    page.locator("[data-test=new-permit]").click()
    wiz = page.locator(".el-dialog", has_text="新建特殊作业票")
    wiz.locator("input[data-test=work-content]").fill("循环水泵进口管道支架焊接加固（夜间抢修）")
    wiz.locator("input[data-test=location]").fill("循环水站泵房（地面）")
    wiz.locator("input[data-test=planned-start]").fill(_local(start))
    wiz.locator("input[data-test=planned-end]").fill(_local(start + timedelta(hours=4)))
    wiz.locator("input[data-test=work-unit]").fill("设备动力部检修班")
    wiz.locator("input[data-test=work-leader]").fill("曹永辉")
    wiz.locator("input[data-test=guardian]").fill("高文斌")
    wiz.locator("input[data-test=workers]").fill("宋立平")
    wiz.locator("[data-test=wizard-next]").click()
    facts = wiz.locator("[data-test=facts-form]")
    expect(facts.locator("[data-fact=method]")).to_contain_text("作业方式")
    expect(facts.locator("[data-fact=night]")).to_contain_text("夜间作业")
    facts.locator("[data-fact=method] input").fill("电焊")
    wiz.locator("[data-test=wizard-next]").click()
    assessment = wiz.locator("[data-test=assessment]")
    expect(assessment.locator("[data-test=assessed-level]")).to_have_text("一级")  # raised before filing
    expect(assessment.locator("[data-test=assessed-reasons]")).to_contain_text("夜间作业（22:00–06:00），升级管理")
    expect(assessment).to_contain_text("8 小时")
    shot(page, "permit-assessed-night")
    wiz.locator("[data-test=wizard-file]").click()
    expect(page.locator("[data-test=permit-level]")).to_have_text("一级")
    from special_ops.models import WorkPermit

    return WorkPermit.objects.latest("id").number


def _state(permit_no: str) -> str:
    from special_ops.models import WorkPermit

    return WorkPermit.objects.get(number=permit_no).state


def test_night_hot_work_raised_signed_and_stale_gas_blocks_start(page, new_page, tonight):
    at, traveller = tonight
    start = at + timedelta(minutes=10)
    login(page, "officer")
    permit_no = _file_night_hot_work(page, start)
    page.locator("[data-test=action-submit]").click()
    expect(page.locator("[data-test=permit-state]")).to_have_text("已提交")

    # Every demo signer signs the steps that are his (sign_step), confirms the measures or gives the briefing
    # when the permit offers it to him, until nobody has anything left before the start.
    signed: list[str] = []
    pages = {"officer": page}
    for _round in range(6):
        progressed = False
        for user in SIGNERS:
            if user not in pages:
                pages[user] = new_page()
                login(pages[user], user)
            p = pages[user]
            _open(p, permit_no)
            for test_id in ("confirm-measures", "brief", "sign-step"):
                button = p.locator(f"[data-test={test_id}]")
                for _ in range(5):  # the same user may have the next step too
                    if not (button.count() and button.is_visible()):
                        break
                    text = button.inner_text()
                    button.click()
                    expect(p.locator(".el-message--success").last).to_be_visible()
                    expect(p.locator("[data-test=action-error]")).to_have_count(0)
                    if test_id == "sign-step":
                        signed.append(f"{user}:{text}")
                    progressed = True
                    _open(p, permit_no)
        if not progressed:
            break
    assert _state(permit_no) == "approved", signed
    assert len(signed) >= 2, signed  # a 一级 permit takes more than one signature

    # A gas test sampled 40 minutes ago passes as a sample but is stale for the start.
    from special_ops.models import WorkPermit

    traveller.shift(start + timedelta(minutes=5) - datetime.now(SH))  # 22:15: inside the planned window
    now = datetime.now(SH)
    p = pages["officer"]
    _open(p, permit_no)
    if not p.locator("[data-test=gas-form]").count():
        p = next(pg for u, pg in pages.items() if (_open(pg, permit_no) or pg.locator("[data-test=gas-form]").count()))
    form = p.locator("[data-test=gas-form]")
    form.locator("input[data-test=gas-sampled-at]").fill(_local(now - timedelta(minutes=40)))
    form.locator("input[data-test=gas-analyst]").fill("董晓雪")
    form.locator("input[data-test=gas-medium]").fill("甲醇")
    form.locator("[data-test=gas-record]").click()
    expect(p.locator("[data-test=gas-tests]")).to_contain_text("合格")
    assert WorkPermit.objects.get(number=permit_no).gas_tests.count() == 1

    starter = next(pg for pg in pages.values() if (_open(pg, permit_no) or pg.locator("[data-test=action-start]").count()))
    starter.locator("[data-test=action-start]").click()
    expect(starter.locator("[data-test=action-error]")).to_contain_text("30 分钟")
    expect(starter.locator("[data-test=permit-state]")).to_have_text("已批准")
    assert _state(permit_no) == "approved"
    shot(starter, "permit-stale-gas-blocks-start")
