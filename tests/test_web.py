"""The workspace's application, in process: security, edits, uploads, the forecast view."""

from __future__ import annotations

import html
import re

import pytest

import accord
from accord.api import load
from accord.cli import main
from accord.scenario.errors import InputError
from conftest import SHARED, shared

testclient = pytest.importorskip("fastapi.testclient")

BASE = "http://127.0.0.1:8765"
VALUE = re.compile(r'data-model="([^"]+)" data-issue="([^"]+)" data-value="([^"]*)"')
HOSTILE_NAME = "<script>window.__pwned=1</script><img src=x onerror=\"window.__pwned=2\">"


def client(tmp_path, policy=None, base=BASE):
    from accord.web.app import create_app

    app = create_app(f"sqlite:///{tmp_path / 'ws.sqlite'}", policy)
    c = testclient.TestClient(app, base_url=base)
    c.get("/")
    if c.cookies.get("accord_csrf"):
        c.headers["X-CSRF-Token"] = c.cookies["accord_csrf"]
    return c


def opened(c, name="venezuela-2021") -> str:
    r = c.post("/open", data={"name": name})
    assert r.status_code == 200, r.text
    return r.headers["HX-Redirect"]


def shown_values(text: str) -> dict[tuple[str, str], float | None]:
    return {(m, i): (float(v) if v else None) for m, i, v in VALUE.findall(text)}


def test_every_response_carries_the_policy_and_posts_need_the_token(tmp_path):
    c = client(tmp_path)
    page = c.get(opened(c))
    csp = page.headers["content-security-policy"]
    assert "default-src 'self'" in csp and "unsafe-inline" not in csp
    assert page.headers["x-frame-options"] == "DENY"
    assert "<script src=\"/static/htmx.min.js\"" in page.text and "<script>" not in page.text
    assert c.get("/static/htmx.min.js").headers["content-security-policy"] == csp
    forged = c.post("/open", data={"name": "venezuela-2021"}, headers={"X-CSRF-Token": "x" * 32})
    assert forged.status_code == 403
    cross = c.post("/open", data={"name": "venezuela-2021"}, headers={"Origin": "http://evil.test"})
    assert cross.status_code == 403
    assert c.post("/open", data={"name": "venezuela-2021"},
                  headers={"Sec-Fetch-Site": "cross-site"}).status_code == 403
    assert c.get("/", headers={"Host": "evil.test"}).status_code == 421  # DNS rebinding
    loaded = c.get("/", headers={"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "no-cors"})
    assert loaded.status_code == 403  # an <img> or <script> on another site
    big = c.post("/paste", content=b"x" * 3_000_000,
                 headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert big.status_code == 413


def test_another_host_needs_the_printed_token(tmp_path):
    from accord.web.security import Policy

    c = client(tmp_path, Policy(loopback=False, token="s3cret-token-value"), "http://10.1.2.3:80")
    assert c.get("/").status_code == 401
    admitted = c.get("/?token=s3cret-token-value", follow_redirects=False)
    assert admitted.status_code == 303 and admitted.headers["location"] == "/"
    assert "HttpOnly" in admitted.headers["set-cookie"]
    assert c.get("/").status_code == 200  # the cookie carries the token from now on
    assert c.get("/?token=wrong").status_code == 200
    c.cookies.clear()
    assert c.get("/?token=wrong").status_code == 401


def test_only_built_in_names_open_never_a_path(tmp_path):
    c = client(tmp_path)
    r = c.post("/open", data={"name": "/etc/passwd"})
    assert r.status_code == 400 and "no built-in scenario of this name" in r.text


def test_an_edit_is_saved_and_the_forecast_shown_is_the_api_s(tmp_path):
    c = client(tmp_path)
    url = opened(c)
    r = c.post(f"{url}/edit", data={"cell": "stance:government:political_prisoners",
                                    "slot": "s1-11", "position": "60", "salience": "0.7"})
    assert "Saved: government on political_prisoners: position 20 → 60" in r.text
    assert 'data-complete="false"' in r.text and r.headers["Server-Timing"].startswith("edit;dur=")
    version = re.search(r'data-version="(\d+)"', r.text).group(1)
    full = c.get(f"{url}/forecast?v={version}")
    yaml = c.get(f"{url}/scenario.yaml").text
    assert "position: 60.0" in yaml or "position: 60" in yaml
    expected = accord.api.workbench.load_text(yaml, "edited.yaml").forecast()
    shown = shown_values(full.text)
    for model in expected.models:
        for issue, f in model.issues.items():
            assert shown[(model.model, issue)] == pytest.approx(f.forecast, abs=1e-12)
    for issue, d in expected.deal.issues.items():  # same seed and draws: the same mixture
        assert shown[("deal or no deal", issue)] == pytest.approx(d.median, abs=1e-12)
    assert len(shown) == sum(len(m.issues) for m in expected.models) + len(expected.deal.issues)
    assert c.get(f"{url}/forecast?v=1").status_code == 204  # an older version: nothing to swap


def test_an_invalid_value_is_reported_as_the_cli_words_it_and_nothing_is_lost(tmp_path):
    c = client(tmp_path)
    url = opened(c)
    before = c.get(f"{url}/scenario.yaml").text
    r = c.post(f"{url}/edit", data={"cell": "stance:government:covid_vaccines", "slot": "s1-12",
                                    "position": "80", "salience": "1.5"})
    message = ("error: venezuela-2021: stances[11].salience: Input should be less than or equal "
               "to 1 (got 1.5); accepted: a number from 0 to 1")
    assert f'id="s1-12" hx-swap-oob="true" role="alert">{message}</span>' in html.unescape(r.text)
    assert c.get(f"{url}/scenario.yaml").text == before
    bad = c.post(f"{url}/edit", data={"cell": "actor:government:capability", "slot": "c1",
                                      "value": "lots"})
    assert "unable to parse string as a number (got &#39;lots&#39;)" in bad.text


def test_undo_redo_and_one_version_per_burst(tmp_path):
    c = client(tmp_path)
    url = opened(c)
    for typed in ("6", "65"):  # one field typed into: one burst, one version
        c.post(f"{url}/edit", data={"cell": "sq:covid_vaccines", "value": typed, "burst": "b1"})
    c.post(f"{url}/edit", data={"cell": "actor:norway:capability", "value": "7", "burst": "b2"})
    page = c.get(url).text
    assert "2 edits saved" in page
    head = re.search(r'data-version="(\d+)"', page).group(1)
    assert "Changed elsewhere" not in c.get(f"{url}/sync?v={head}").text
    assert "Changed elsewhere" in c.get(f"{url}/sync?v=1").text  # a tab left behind is told
    c.post(f"{url}/undo")
    assert "status_quo: 65" in c.get(f"{url}/scenario.yaml").text
    assert "capability: 7" not in c.get(f"{url}/scenario.yaml").text
    c.post(f"{url}/undo")
    assert "status_quo: 20" in c.get(f"{url}/scenario.yaml").text
    c.post(f"{url}/redo")
    c.post(f"{url}/redo")
    assert "capability: 7" in c.get(f"{url}/scenario.yaml").text


def test_actors_added_and_removed_with_located_errors(tmp_path):
    c = client(tmp_path)
    url = opened(c)
    bad = c.post(f"{url}/actors", data={"id": "brazil", "name": "Brazil", "role": "party",
                                        "capability": "-3"})
    assert bad.headers["HX-Retarget"] == "#add-actor-error"
    assert "actors[10].capability: Input should be greater than 0" in bad.text
    c.post(f"{url}/actors", data={"id": "brazil", "name": "Brazil", "role": "party",
                                  "capability": "12"})
    c.post(f"{url}/edit", data={"cell": "stance:brazil:covid_vaccines", "position": "70",
                                "salience": "0.4"})
    talks = accord.api.workbench.load_text(c.get(f"{url}/scenario.yaml").text, "x.yaml")
    assert talks.scenario.stance("brazil", "covid_vaccines").position == 70
    c.post(f"{url}/actors/united_states/remove")
    text = c.get(f"{url}/scenario.yaml").text
    assert "united_states" not in text and "brazil" in text


def upload_files():
    """Every scenario file in ../shared/data, and DEU III, which is not one."""
    files = sorted((SHARED / "data" / "ktab").glob("*.csv")) + sorted(
        (SHARED / "data" / "decide").glob("*.csv")) + [
        SHARED / "data" / "decide" / "sample_data.txt", SHARED / "data" / "bdm" / "example_actors.csv"]
    return [pytest.param(p, id=p.name) for p in files]


@pytest.mark.parametrize("path", upload_files())
def test_every_shared_scenario_file_uploads_as_the_cli_reads_it(tmp_path, path):
    path = shared(*path.relative_to(SHARED).parts)
    c = client(tmp_path)
    r = c.post("/upload", files={"file": (path.name, path.read_bytes())})
    url = r.headers["HX-Redirect"]
    uploaded = c.get(f"{url}/scenario.yaml").text
    assert uploaded == load(str(path)).to_yaml()


def test_deu3_is_not_a_scenario_and_the_error_is_the_cli_s(tmp_path, capsys):
    path = shared("data", "deu3", "deu3.csv")
    c = client(tmp_path)
    r = c.post("/upload", files={"file": ("deu3.csv", path.read_bytes())})
    assert "HX-Redirect" not in r.headers
    assert main(["show", str(path)]) == 2
    cli = " ".join(capsys.readouterr().err.split()).replace(str(path), "deu3.csv")
    assert " ".join(html.unescape(re.sub("<[^>]+>", "", r.text)).split()) == cli


def test_pasted_text_with_a_syntax_error_is_located(tmp_path):
    c = client(tmp_path)
    r = c.post("/paste", data={"name": "mine.yaml", "text": "accord: 1\nid: [unclosed\n"})
    assert "error: mine.yaml:3: YAML syntax error" in html.unescape(r.text)


def test_hostile_names_are_escaped_everywhere(tmp_path):
    c = client(tmp_path)
    url = opened(c)
    r = c.post(f"{url}/edit", data={"cell": "actor:government:name", "value": HOSTILE_NAME})
    assert r.status_code == 200
    for page in (c.get(url).text, c.get("/").text, c.get(f"/compare?w={url.split('/')[-1]}").text):
        assert "<script>window" not in page and "<img src=x" not in page
    assert html.escape(HOSTILE_NAME, quote=False).replace('"', "&#34;") in c.get(url).text


def test_workspaces_side_by_side(tmp_path):
    c = client(tmp_path)
    first, second = opened(c), opened(c)
    c.post(f"{second}/edit", data={"cell": "stance:government:sanctions_relief",
                                   "position": "50", "salience": "0.95"})
    page = c.get(f"/compare?w={first.split('/')[-1]}&w={second.split('/')[-1]}").text
    assert page.count('class="compared"') == 2
    values = VALUE.findall(page)
    median = [float(v) for m, i, v in values if (m, i) == ("median", "sanctions_relief")]
    assert len(median) == 2 and median[0] != median[1]


def test_leverage_whatif_and_simulation_panels(tmp_path):
    c = client(tmp_path)
    url = opened(c)
    lev = c.post(f"{url}/leverage", data={"model": ["nash"], "issue": "political_prisoners",
                                          "top": "2"})
    assert lev.text.count("<tr>") == 3 and "<svg" in lev.text
    bad = c.post(f"{url}/whatif", data={"custom": "leave=nobody", "model": ["median"],
                                        "draws": "20"})
    assert "error: " in bad.text and "nobody" in bad.text
    whatif = c.post(f"{url}/whatif", data={"custom": "leave=government", "model": ["median"],
                                           "draws": "20"})
    assert "P(agreement)" in whatif.text and "leave" in whatif.text
    sim = c.post(f"{url}/simulate", data={"protocol": "single-text", "seed": "0"})
    assert "Round 1 of" in sim.text and "<svg" in sim.text
    second = c.get(f"{url}/simulate/round?v=1&protocol=single-text&seed=0&k=2")
    assert "Round 2 of" in second.text


def test_the_interval_columns_show_the_documents_80_percent_intervals(venezuela):
    from accord.api.forecast import forecast
    from accord.web.state import environment
    from accord.web.views import forecast_table

    report = forecast(venezuela, ["ensemble", "median"], deal_draws=60, seed=3)
    table = forecast_table(report, ["ensemble", "median"], True)
    assert table.models == ["ensemble", "deal or no deal", "median"]
    assert table.intervals == {"ensemble", "deal or no deal"}  # the headline's: no more columns
    page = environment().get_template("forecast_table.html.j2").render(table=table)
    assert '<th class="iv">ensemble interval</th>' in page
    for name, f in (("ensemble", report.models[0].issues["covid_vaccines"]),
                    ("deal or no deal", report.deal.issues["covid_vaccines"])):
        eighty = next(i for i in f.intervals if i.level == 0.8)
        assert f"{eighty.low:.1f}–{eighty.high:.1f}" in page, name
    assert table.deal.startswith("Deal or no deal: an agreement is signed in")
    bare = forecast(venezuela, ["median"], deal_draws=0)
    bare = bare.model_copy(update={"models": [bare.models[0].model_copy(update={"issues": {
        k: v.model_copy(update={"intervals": None}) for k, v in bare.models[0].issues.items()}})]})
    plain = forecast_table(bare, ["median"], True)
    assert "interval" not in environment().get_template("forecast_table.html.j2").render(
        table=plain)


def test_news_proposals_accepted_and_rejected_one_by_one(tmp_path):
    text = shared("seed", "venezuela-talks-mexico-2021.txt").read_text(encoding="utf-8")
    c = client(tmp_path)
    url = opened(c)
    r = c.post(f"{url}/news", data={"text": text, "date": "2021-08-27", "name": "seed"})
    items = re.findall(r'<td>(event|actor|stance)</td>.*?/news/([0-9a-f]+)/accept', r.text, re.S)
    assert len(items) >= 2
    event = next(pid for kind, pid in items if kind == "event")
    before = load_events(c, url)
    accepted = c.post(f"{url}/news/{event}/accept")
    assert 'hx-swap-oob="true"' in accepted.text and load_events(c, url) == before + 1
    other = next(pid for _, pid in items if pid != event)
    c.post(f"{url}/news/{other}/reject")
    again = c.post(f"{url}/news/{other}/accept")
    assert again.status_code == 400 and "no pending proposal" in again.text
    page = c.get(url).text
    assert page.count('<tr class="accepted">') == 1 and page.count('<tr class="rejected">') == 1


def load_events(c, url) -> int:
    return len(accord.api.workbench.load_text(c.get(f"{url}/scenario.yaml").text,
                                              "x.yaml").scenario.events)


def test_edits_survive_a_new_application_on_the_same_store(tmp_path):
    c = client(tmp_path)
    url = opened(c)
    c.post(f"{url}/edit", data={"cell": "actor:peru:capability", "value": "9"})
    again = client(tmp_path)  # a restart: a new application, the same database
    assert "capability: 9" in again.get(f"{url}/scenario.yaml").text
    assert again.get("/w/nonexistent").status_code == 404


def test_serve_reports_a_bad_scenario_as_the_cli_does(tmp_path, capsys):
    assert main(["serve", str(tmp_path / "missing.yaml"), "--port", "0", "--store",
                 f"sqlite:///{tmp_path / 'ws.sqlite'}"]) == 2
    assert "no such file" in capsys.readouterr().err


def test_serve_refuses_a_port_in_use(tmp_path):
    import socket

    from accord.web.server import _bind

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        with pytest.raises(InputError, match="cannot listen there"):
            _bind("127.0.0.1", taken.getsockname()[1])
