"""The rendered book: built offline from the stored outputs, served on loopback and opened in a
real headless Chromium (Debian's chromium + chromedriver), which checks that every page, every
image and the results table render."""

import functools
import http.server
import json
import shutil
import threading

import matplotlib.image as mpimg
import pytest

from glasslib import book

CHROMIUM, DRIVER = shutil.which("chromium"), shutil.which("chromedriver")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    index = book.build(tmp_path_factory.mktemp("book"))
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(index.parent))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", index.parent
    server.shutdown()


@pytest.fixture(scope="module")
def browser():
    assert CHROMIUM and DRIVER, ("Debian's chromium and chromium-driver are needed "
                                 "(bash companion.sh test installs them; or apt-get install chromium chromium-driver)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--window-size=1280,2000"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    yield driver
    driver.quit()


def _image_outputs(notebook) -> int:
    cells = json.loads(notebook.read_text())["cells"]
    return sum("image/png" in out.get("data", {}) for c in cells for out in c.get("outputs", []))


def test_index_shows_the_generated_results_table(site, browser):
    url, _ = site
    browser.get(url + "/index.html")
    assert "glass-ML companion" in browser.title
    rows = browser.execute_script(
        "return [...document.querySelectorAll('table tr')].map(r => r.innerText)")
    assert len(rows) >= 10 and any("P2 cleaned SciGlass rows" in r for r in rows)
    # the claims table: one row per claim, its verdict in its own cell, as report.claims() gives it
    from glasslib import report

    for claim in report.claims():
        row = next(r for r in rows if claim["claim"] in r)
        assert row.split("\t")[2].strip() == claim["verdict"], row
    links = browser.execute_script("return [...document.querySelectorAll('a')].map(a => a.getAttribute('href'))")
    for notebook, _ in book.reading_copy():
        assert f"{notebook.stem}.html" in links


def test_every_notebook_page_renders_its_figures(site, browser, tmp_path):
    url, _ = site
    for notebook, _ in book.reading_copy():
        browser.get(f"{url}/{notebook.stem}.html")
        assert browser.execute_script("return document.querySelector('h1') !== null"), notebook.stem
        sizes = browser.execute_script("""
            // the book's own images; a Binder badge (mybinder.org) is the one external image, offline here
            const imgs = [...document.querySelectorAll('article img')].filter(i => i.src.startsWith(location.origin));
            return Promise.all(imgs.map(i => i.decode().then(() => i.naturalWidth, () => 0)));""")
        expected = _image_outputs(notebook)
        assert len(sizes) >= expected, f"{notebook.stem}: {len(sizes)} images on the page, {expected} stored"
        assert all(w > 50 for w in sizes), f"{notebook.stem}: an image did not load ({sizes})"
    browser.get(f"{url}/02_deepglassnet_benchmark.html")
    shot = tmp_path / "page.png"
    browser.save_screenshot(str(shot))
    pixels = mpimg.imread(shot)
    assert pixels.shape[0] > 500 and pixels[..., :3].std() > 0.05   # not a blank page


def test_the_default_full_run_is_the_reading_copy_and_other_settings_never_are(tmp_path, monkeypatch):
    monkeypatch.setattr(book.paths, "NOTEBOOKS", tmp_path)
    (tmp_path / "full").mkdir()
    for name in ("05_md.ipynb", "06_ae.ipynb", "07_rf.ipynb", "full/06_ae.ipynb", "full/05_md.md_dataset-v1.ipynb",
                 "full/07_rf.seed-4.ipynb"):
        (tmp_path / name).write_text("{}")
    pages = {str(nb.relative_to(tmp_path)): profile for nb, profile in book.reading_copy()}
    assert pages == {"05_md.ipynb": "quick", "full/06_ae.ipynb": "full", "07_rf.ipynb": "quick"}
    assert book.describe(tmp_path / "full/06_ae.ipynb", "full") == "paper-scale (full profile)"
    assert book.describe(tmp_path / "full/06_ae.md_dataset-v1.ipynb", "full") == "paper-scale (full profile), md_dataset-v1"
