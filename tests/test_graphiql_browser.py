"""GraphiQL loads in headless Chromium (from the bundled assets) and runs a query."""
from browser import page, screenshot_path
from helpers import run_cli
from servers import free_port, running


def test_graphiql_runs_the_default_query(tmp_path):
    from claimgraph.api.cli import sample_dir
    db = tmp_path / "g.db"
    run_cli("ingest", str(sample_dir() / "grok3-delay.yaml"), str(sample_dir() / "grok3-launch.yaml"), db=db)
    port = free_port()
    with running(["serve", "--db", str(db), "--port", str(port)], port) as (url, _):
        with page() as p:
            failed = []
            p.on("requestfailed", lambda r: failed.append(r.url))
            p.goto(url + "/graphql")
            p.wait_for_selector(".graphiql-execute-button", timeout=30000)
            p.click(".graphiql-execute-button")
            p.wait_for_function(
                "() => document.querySelector('.result-window') && "
                "document.querySelector('.result-window').innerText.includes('broken')", timeout=30000)
            text = " ".join(p.inner_text(".result-window").replace("\xa0", " ").split())
            shot = screenshot_path("graphiql.png")
            p.screenshot(path=str(shot))
    assert '"broken": 2' in text and '"late": 2' in text
    assert '"slips": 1' in text and '"delayDays": 48' in text and '"name": "xAI"' in text  # Grok 3's chain
    assert not failed, f"requests failed (assets must be local): {failed}"
    assert shot.stat().st_size > 10000
