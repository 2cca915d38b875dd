#!/usr/bin/env python3
"""A whole move through two webmaster's consoles, in headless Chromium driven by Selenium.

Run by Tests/TransfertEndToEndTests/ConsoleBrowserTests.swift, which starts both consoles (`transfert console
--port 0`) and checks the hostings afterwards with sqlite3. This script plays the operator: sign in on both,
export one establishment on the source (live progress until the job succeeds, verification verdict),
download the CSV and the ZIP, upload them on the target's import page, read the dry-run table, import, see
the new access URL, preview the letters, download the receipt, confirm it on the source's moves page, search
the history, remove the establishment on the source with its typed confirmation — and look at the
establishments page at a phone's width.

Every page visited is screenshotted to --screenshots as NN-name.png; every page is checked for console
errors (a CSP violation, a script error, a failed asset). Exit status 0 when the whole move went through;
else 1, with the step, the reason and the page's URL on standard error.

Chromium and its driver are Debian's (/usr/bin/chromium, /usr/bin/chromedriver): Selenium Manager never
downloads anything (the driver's path is given).
"""

import argparse
import http.cookiejar
import json
import os
import re
import sys
import time
import urllib.parse
import urllib.request

from selenium import webdriver
from selenium.common.exceptions import TimeoutException, WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait


class Failure(Exception):
    """A step of the move that did not go as an operator would expect."""


class Operator:
    """The browser, the screenshots, and the checks made on every page."""

    def __init__(self, screenshots, downloads, chromedriver, chromium):
        self.screenshots = screenshots
        self.downloads = downloads
        self.count = 0
        self.step = "starting Chromium"
        options = webdriver.ChromeOptions()
        options.binary_location = chromium
        for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                         "--window-size=1280,1000", "--lang=fr-FR", "--disable-extensions"):
            options.add_argument(argument)
        options.add_experimental_option("prefs", {
            "download.default_directory": downloads,
            "download.prompt_for_download": False,
            "intl.accept_languages": "fr-FR,fr",
        })
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        self.driver = webdriver.Chrome(service=Service(chromedriver), options=options)
        self.driver.set_page_load_timeout(60)
        self.console_errors = []

    def quit(self):
        try:
            self.driver.quit()
        except WebDriverException:
            pass

    # --- what every page gets -------------------------------------------------------------------------------

    def look(self, name):
        """Screenshots the page as NN-name.png and collects what the browser's console reported on it."""
        self.count += 1
        path = os.path.join(self.screenshots, "%02d-%s.png" % (self.count, name))
        if not self.driver.save_screenshot(path):
            raise Failure("no screenshot written to %s" % path)
        self.check_console(name)
        self.check_markup(name)

    def check_markup(self, name):
        """Markup in the hosting's data (names, CSV values, messages: class="xss-probe") is shown as text,
        never parsed into elements."""
        probes = self.driver.execute_script(
            "return Array.from(document.querySelectorAll('.xss-probe, img[src=\"/x\"], img[src=\"/y\"]'))"
            ".map(e => e.outerHTML.slice(0, 120));")
        if probes:
            raise Failure("data became markup on %s (%s): %s" % (name, self.driver.current_url, probes))

    def check_console(self, name):
        for entry in self.driver.get_log("browser"):
            message = entry.get("message", "")
            if "favicon.ico" in message:
                continue  # the browser asks for it on its own; the console has none, by design
            if entry.get("level") in ("SEVERE", "WARNING") or "Content Security Policy" in message:
                self.console_errors.append("%s (%s): %s" % (name, self.driver.current_url, message))

    def open(self, url, name):
        self.driver.get(url)
        self.look(name)

    def wait(self, condition, what, seconds=30):
        try:
            return WebDriverWait(self.driver, seconds, poll_frequency=0.2).until(condition)
        except TimeoutException:
            raise Failure("waited %d s for %s" % (seconds, what))

    def find(self, selector):
        elements = self.driver.find_elements(By.CSS_SELECTOR, selector)
        if not elements:
            raise Failure("no %s on the page" % selector)
        return elements[0]

    def all(self, selector):
        return self.driver.find_elements(By.CSS_SELECTOR, selector)

    def click(self, selector):
        element = self.find(selector)
        self.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
        element.click()

    def type(self, selector, text):
        element = self.find(selector)
        element.clear()
        element.send_keys(text)

    def labelled(self):
        """Every visible input of the page has a <label for> (accessibility is part of the contract)."""
        missing = self.driver.execute_script("""
            return Array.from(document.querySelectorAll('input, select, textarea'))
              .filter(e => e.type !== 'hidden' && e.type !== 'submit' && !e.closest('[hidden]'))
              .filter(e => !(e.id && document.querySelector('label[for="' + CSS.escape(e.id) + '"]'))
                           && !e.getAttribute('aria-label') && !e.closest('label'))
              .map(e => e.outerHTML.slice(0, 120));""")
        if missing:
            raise Failure("inputs without a label on %s: %s" % (self.driver.current_url, missing))

    # --- sessions and downloads -----------------------------------------------------------------------------

    def sign_in(self, base, name, password, label):
        self.open(base + "/sign-in", label + "-sign-in")
        self.labelled()
        self.type("#name", name)
        self.type("#password", password)
        self.click("#sign-in")
        self.wait(lambda d: "/sign-in" not in d.current_url, "the sign-in on %s to lead to a page" % base)
        self.look(label + "-home")

    def fetch(self, url, directory):
        """Downloads `url` with the browser's own session cookie (as a click on the link would), into
        `directory` under the name the server gives; returns its path."""
        host = urllib.parse.urlsplit(url).hostname
        cookies = "; ".join("%s=%s" % (c["name"], c["value"]) for c in self.driver.get_cookies()
                            if c.get("domain", "").lstrip(".") in (host, ""))
        request = urllib.request.Request(url, headers={"Cookie": cookies})
        with urllib.request.urlopen(request, timeout=120) as response:
            if response.status != 200:
                raise Failure("GET %s: %d" % (url, response.status))
            disposition = response.headers.get("Content-Disposition", "")
            match = re.search(r"filename\*=UTF-8''([^;]+)", disposition)
            name = urllib.parse.unquote(match.group(1)) if match else os.path.basename(urllib.parse.urlsplit(url).path)
            if "/" in name or name.startswith("."):
                raise Failure("the server named a download %r" % name)
            path = os.path.join(directory, urllib.parse.unquote(name))
            with open(path, "wb") as out:
                while True:
                    block = response.read(1 << 20)
                    if not block:
                        break
                    out.write(block)
        return path

    def job_files(self):
        """The links of #job-files: {name: absolute URL}."""
        return {a.text.strip(): a.get_attribute("href") for a in self.all("#job-files a")}

    def wait_for_job(self, what, seconds=300):
        """On a job page: waits for the job's end (the page's script updates #job-state), which must be a
        success; the progress seen on the way is screenshotted once."""
        self.wait(lambda d: "/jobs/" in d.current_url, "the %s job's page" % what)
        self.look(what + "-job-started")
        deadline = time.time() + seconds
        while time.time() < deadline:
            try:  # the page's script reloads it when the job ends: a query may meet the page in between
                state = self.driver.execute_script(
                    "const e = document.querySelector('#job-state'); return e && e.dataset.state;")
            except WebDriverException:
                state = None
            if state and state != "running":
                break
            time.sleep(0.3)
        else:
            raise Failure("the %s job still runs after %d s" % (what, seconds))
        # The script changes the state in place; the result is rendered by the server: reload once ended.
        self.driver.refresh()
        state = self.find("#job-state").get_attribute("data-state")
        self.look(what + "-job-ended")
        if state != "succeeded":
            failure = " ".join(e.text for e in self.all(".failure, #failure, .problems li"))[:2000]
            raise Failure("the %s job ended %s: %s" % (what, state, failure or self.find("main").text[:2000]))


def move(operator, source, target, user, password, establishment, target_key):
    o = operator
    # 1. Sign in on both consoles.
    o.step = "signing in"
    o.sign_in(source, user, password, "source")
    o.sign_in(target, user, password, "target")

    # 2. The source's establishments: the one that moves is listed.
    o.step = "the source's establishments"
    o.open(source + "/establishments", "source-establishments")
    o.labelled()
    o.find('table#establishments tr[data-id="%d"]' % establishment)
    uai = o.find('table#establishments tr[data-id="%d"]' % establishment).text
    if '<img class="xss-probe"' not in uai:
        raise Failure("the establishment's name is not shown as typed: %r" % uai)

    # The maintenance page shows a window's message, markup and all, as text.
    o.step = "the maintenance windows"
    o.open(source + "/maintenance", "source-maintenance")
    if '<img class="xss-probe"' not in o.find("table#windows").text:
        raise Failure("the maintenance message is not shown as typed: %r" % o.find("table#windows").text[:500])

    # 3. Export it, with its files, the live progress on the job page.
    o.step = "exporting"
    o.open(source + "/export", "source-export")
    o.labelled()
    box = o.find('#export-form input[name="ids"][value="%d"]' % establishment)
    if not box.is_selected():
        o.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", box)
        box.click()
    files = o.find("#files")
    if not files.is_selected():
        raise Failure("#files is not checked by default")
    o.click("#start-export")
    o.wait_for_job("export")
    verdict = o.find("#verification").get_attribute("data-verdict")
    if verdict != "ok":
        raise Failure("the export's verification verdict is %r: %s" % (verdict, o.find("#verification").text))
    links = o.job_files()
    csv = [url for name, url in links.items() if name.endswith(".csv") and "result" not in name]
    zip_ = [url for name, url in links.items() if name.endswith(".zip")]
    if len(csv) != 1 or len(zip_) != 1:
        raise Failure("the export job's files are not one CSV and one ZIP: %s" % sorted(links))
    o.step = "downloading the bundle"
    csv_path = o.fetch(csv[0], o.downloads)
    zip_path = o.fetch(zip_[0], o.downloads)
    with open(zip_path, "rb") as f:
        if f.read(2) != b"PK":
            raise Failure("the downloaded ZIP %s is not a ZIP" % zip_path)

    # 4. Upload both on the target's import page; the dry-run table.
    o.step = "uploading on the target"
    o.open(target + "/import", "target-import")
    o.labelled()
    o.find("#upload-form input#csv").send_keys(csv_path)
    o.find("#upload-form input#zip").send_keys(zip_path)
    o.click("#upload")
    o.wait(lambda d: re.search(r"/import/[^/]+$", urllib.parse.urlsplit(d.current_url).path),
           "the dry-run page after the upload", 120)
    o.wait(EC.presence_of_element_located((By.CSS_SELECTOR, "table#dry-run")), "table#dry-run", 120)
    o.look("target-dry-run")
    rows = o.all("table#dry-run tbody tr")
    if len(rows) != 1:
        raise Failure("table#dry-run has %d rows for one establishment" % len(rows))
    if "xss-probe" not in rows[0].text:
        raise Failure("the dry-run row does not show the CSV's values as text: %r" % rows[0].text)
    problems = [li.text for li in o.all("#problems li")]
    if problems:
        raise Failure("the dry run lists problems: %s" % problems)

    # 5. Import: a job; its result table with the new access URL.
    o.step = "importing"
    o.click("#start-import")
    o.wait_for_job("import")
    o.find("table#import-result")
    urls = [a.get_attribute("href") for a in o.all("table#import-result a.access-url")]
    if len(urls) != 1 or not urls[0].startswith("https://b.example.org/sacoche/"):
        raise Failure("table#import-result's access URLs: %s" % urls)
    receipts = [url for name, url in o.job_files().items() if name.endswith(".receipt.json")]
    if len(receipts) != 1:
        raise Failure("the import job's files hold no single receipt: %s" % sorted(o.job_files()))
    o.step = "downloading the receipt"
    receipt_path = o.fetch(receipts[0], o.downloads)
    with open(receipt_path, encoding="utf-8") as f:
        receipt = json.load(f)
    if "signature" not in receipt:
        raise Failure("the downloaded receipt is not signed")
    import_page = o.driver.current_url

    # 6. The letters' preview.
    o.step = "previewing the letters"
    o.click("a#letters-preview")
    o.wait(lambda d: "/import/letters/" in d.current_url, "the letters' preview")
    o.look("target-letters")
    letters = o.all(".letter")
    if not letters or not all(letter.text.strip() for letter in letters):
        raise Failure("no letter previewed, or an empty one")
    o.find("#send-letters")

    # 7. Back on the source: confirm the move with the receipt.
    o.step = "confirming on the source"
    o.open(source + "/moves", "source-moves")
    o.labelled()
    o.find("#receipt-form input#receipt").send_keys(receipt_path)
    if target_key:  # the first receipt of a target: its key, as `transfert info` shows it there
        o.type("#receipt-form input#expect-key", target_key)
    o.click("#confirm-receipt")
    o.wait(EC.presence_of_element_located((By.CSS_SELECTOR, "#confirmation-result")), "#confirmation-result", 120)
    o.look("source-confirmation")
    if o.all(".failure"):
        raise Failure("the confirmation failed: %s" % " ".join(e.text for e in o.all(".failure")))

    # 8. The history of the establishment.
    o.step = "searching the history"
    o.type("#history-form input#history-query", str(establishment))
    o.click("#history-search")
    o.wait(EC.presence_of_element_located((By.CSS_SELECTOR, "table#history")), "table#history")
    o.look("source-history")
    history = o.find("table#history").text
    if "serveur-b" not in history:
        raise Failure("table#history does not name the target: %s" % history[:1000])

    # 9. Remove it from the source, typing its id to confirm.
    o.step = "removing on the source"
    o.open(source + "/establishments/%d/remove" % establishment, "source-removal")
    o.labelled()
    o.type("input#confirmation", str(establishment))
    o.click("#remove")
    o.wait(EC.presence_of_element_located((By.CSS_SELECTOR, "#removal-result")), "#removal-result", 120)
    o.look("source-removed")
    if o.all(".failure"):
        raise Failure("the removal failed: %s" % " ".join(e.text for e in o.all(".failure")))
    o.open(source + "/establishments", "source-establishments-after")
    if o.all('table#establishments tr[data-id="%d"]' % establishment):
        raise Failure("establishment %d is still listed after its removal" % establishment)

    # 10. The jobs page of the target, and the establishments page at a phone's width.
    o.step = "the jobs list and a phone's width"
    o.open(target + "/jobs", "target-jobs")
    o.driver.set_window_size(390, 844)
    o.open(source + "/establishments", "phone-establishments")
    overflow = o.driver.execute_script("""
        const w = window.innerWidth;
        return Array.from(document.querySelectorAll('input#search, select#zone-filter, #filter, nav a, h1'))
          .filter(e => { const r = e.getBoundingClientRect(); return r.width > 0 && (r.left < 0 || r.right > w + 1); })
          .map(e => e.outerHTML.slice(0, 80));""")
    if overflow:
        raise Failure("at 390 px wide, these do not fit the screen: %s" % overflow)
    width = o.driver.execute_script("return document.body.scrollWidth")
    if width > 390 * 1.5:
        raise Failure("at 390 px wide the page is %d px wide: unusable on a phone" % width)
    return {"uai_row": uai, "csv": csv_path, "zip": zip_path, "receipt": receipt_path, "access_url": urls[0],
            "import_page": import_page}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source", required=True, help="the source console's address, e.g. http://localhost:8443")
    parser.add_argument("--target", required=True, help="the target console's address (another host name than "
                        "the source's, e.g. http://127.0.0.1:8444: cookies do not tell ports apart)")
    parser.add_argument("--user", required=True)
    parser.add_argument("--password-file", required=True)
    parser.add_argument("--establishment", type=int, required=True, help="the source's id of the one that moves")
    parser.add_argument("--target-key", help="the target's receipt key (`transfert info` there), typed on the "
                        "source's moves page: a first receipt from a server is refused without it")
    parser.add_argument("--screenshots", required=True, help="directory for NN-name.png")
    parser.add_argument("--downloads", required=True, help="directory for the downloaded bundle and receipt")
    parser.add_argument("--summary", help="write what was done as JSON here")
    parser.add_argument("--chromedriver", default="/usr/bin/chromedriver")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    arguments = parser.parse_args()
    os.makedirs(arguments.screenshots, exist_ok=True)
    os.makedirs(arguments.downloads, exist_ok=True)
    with open(arguments.password_file, encoding="utf-8") as f:
        password = f.readline().rstrip("\n")
    try:
        operator = Operator(arguments.screenshots, arguments.downloads, arguments.chromedriver, arguments.chromium)
    except Exception as error:  # the reason Chromium or its driver could not start, never a skip
        print("Chromium could not start under Selenium (%s, %s): %s"
              % (arguments.chromium, arguments.chromedriver, error), file=sys.stderr)
        return 2
    try:
        summary = move(operator, arguments.source.rstrip("/"), arguments.target.rstrip("/"), arguments.user,
                       password, arguments.establishment, arguments.target_key)
        if operator.console_errors:
            raise Failure("the browser's console reported:\n  " + "\n  ".join(operator.console_errors))
        summary["screenshots"] = operator.count
        if arguments.summary:
            with open(arguments.summary, "w", encoding="utf-8") as f:
                json.dump(summary, f, ensure_ascii=False, indent=1)
        print("The whole move went through: %d pages screenshotted in %s" % (operator.count, arguments.screenshots))
        return 0
    except Exception as error:
        try:
            operator.look("failure")
        except Exception:
            pass
        url = ""
        try:
            url = operator.driver.current_url
        except Exception:
            pass
        print("FAILED while %s, on %s: %s: %s" % (operator.step, url, type(error).__name__, error), file=sys.stderr)
        return 1
    finally:
        operator.quit()


if __name__ == "__main__":
    sys.exit(main())
