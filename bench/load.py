"""How many page loads at once can one server take? Sessions that speak Streamlit's own protocol.

Each simulated session does what a browser tab does: GET /_stcore/health (which sets the XSRF
cookie, and a proxy's sticky cookie), open the websocket /_stcore/stream with the XSRF token in
its subprotocols, and send a rerun_script BackMsg with the link's query string. It then reads
ForwardMsgs until the script run has finished, and records the seconds from its connect (the
health request) to the last chart element (plotly_chart or custom component), the bytes received
and any error. With --change it then moves the Epochs slider, as a hand on the page would, and
times that rerun from the BackMsg to the last chart. Loopback targets only; session count and
time are bounded.

Run by hand (not part of pytest); without --url it starts `streamlit run app.py` on a free port:
    .venv/bin/python -m bench.load                        # 1, 10 and 100 sessions at defaults
    .venv/bin/python -m bench.load --sessions 10 --query "lr=0.1&epochs=5" --change
    .venv/bin/python -m bench.load --sessions 20 \
        --query "n=100000&batch_size=1&epochs=20&lr=0.0001&seed={i}"   # {i}: the tab's number
    .venv/bin/python -m bench.load --sessions 50 --waves 3 --ttl 5   # memory as classes come and go
    .venv/bin/python -m bench.load --haproxy /usr/sbin/haproxy --replicas 4   # behind HAProxy
    .venv/bin/python -m bench.load --worst 100    # the costliest links (WORST), each alone, then
                                                  # up to 100 distinct tabs of each, a bystander
    .venv/bin/python -m bench.load --url http://127.0.0.1:8501 --pid 4242
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import ipaddress
import json
import math
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import astuple, dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlsplit

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.asyncio.client import ClientConnection, connect

from linreg_viz.i18n import TABLE

ROOT = Path(__file__).resolve().parent.parent
CHARTS = {"plotly_chart", "component_instance", "bidi_component"}  # what counts as the chart
MAX_SESSIONS = 200  # per round: a bench, not an attack
MAX_SECONDS = 600.0  # per round, whatever --timeout says


def require_loopback(url: str) -> None:
    """Refuse any target whose host does not resolve to loopback addresses only."""
    host = urlsplit(url).hostname
    if not host:
        raise SystemExit(f"bench.load: {url!r} has no host; give http://127.0.0.1:PORT")
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(host, None)}
    except socket.gaierror as error:
        raise SystemExit(f"bench.load: cannot resolve {host!r}: {error}") from error
    if not all(ipaddress.ip_address(a.split("%")[0]).is_loopback for a in addresses):
        raise SystemExit(
            f"bench.load: {host!r} is {', '.join(sorted(addresses))}, not loopback; "
            "this load generator only targets a server on this machine (127.0.0.1)"
        )


@dataclass
class PageLoad:
    """What one page load (or one rerun) saw, timed from its connect (or its BackMsg)."""

    chart_s: float | None = None  # to the last chart element (every view and the player)
    finished_s: float | None = None  # to script_finished
    bytes: int = 0
    error: str | None = None
    session_id: str = ""
    chart_digest: str = ""  # with digest=True: sha256 of the chart's data, the same for one run
    exceptions: list = field(default_factory=list)  # Exception elements the page showed
    query_string: str = ""  # the URL the app wrote back (page_info_changed)
    queued: bool = False  # the page said its heavy run waits for its turn
    place: int | None = None  # the first place in the queue the page showed


QUEUED = TABLE["run_queued"]["en"].split("{")[0]  # how the page's note begins, up to its place
EPOCHS = "ctl_epochs"  # the slider that --change moves


def chart_digest(element) -> str:
    """A hash of what a chart element shows. A Plotly spec's JSON is compared parsed: the same
    figure can arrive with its keys in another order (and so another element id)."""
    if element.WhichOneof("type") == "plotly_chart":
        spec = json.dumps(json.loads(element.plotly_chart.spec), sort_keys=True)
        return hashlib.sha256(spec.encode()).hexdigest()
    return hashlib.sha256(element.SerializeToString()).hexdigest()


class Session:
    """One browser tab on a base URL: its cookies (XSRF, a proxy's), then the app's websocket."""

    def __init__(self, base_url: str, cookies: dict[str, str] | None = None):
        require_loopback(base_url)
        self.base_url = base_url.rstrip("/")
        self.cookies = dict(cookies or {})
        self.session_id = ""  # the server's id for this tab's session, once a page has loaded
        self.query_string = ""  # the page's URL as the app last wrote it
        self.widgets: dict[str, tuple[str, int]] = {}  # Epochs: the slider's id and value
        self.ws: ClientConnection | None = None

    def _cookie_header(self) -> dict[str, str]:
        return {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}

    def _get(self, path: str, timeout: float) -> None:
        """An HTTP GET as the tab makes it: the cookies go along, Set-Cookie is kept."""
        request = urllib.request.Request(self.base_url + path, headers=self._cookie_header())
        with urllib.request.urlopen(request, timeout=timeout) as response:
            response.read()
            for line in response.headers.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(line).items():
                    self.cookies[name] = morsel.value

    async def load(
        self, query: str = "", timeout: float = 120.0, resume: bool = False, digest: bool = False
    ) -> PageLoad:
        """Open the page with this query string; return when its script run has finished.

        With resume, the websocket asks for this tab's earlier session, as the frontend does when
        it reconnects; the server resumes it only if it still holds it. With digest, the chart's
        data are hashed (parsing megabytes of JSON: off while timing). The websocket stays open
        until close().
        """
        await self.close()
        page = PageLoad()
        try:
            await asyncio.wait_for(self._load(page, query, resume, digest, timeout), timeout)
        except TimeoutError:
            page.error = f"timeout after {timeout:g} s"
        except Exception as error:  # a bench reports every failure, it never stops on one
            page.error = f"{type(error).__name__}: {error}"
        return page

    async def _load(
        self, page: PageLoad, query: str, resume: bool, digest: bool, timeout: float
    ) -> None:
        start = time.perf_counter()
        await asyncio.to_thread(self._get, "/_stcore/health", timeout)
        token = self.cookies.get("_streamlit_xsrf", "")
        protocols = ["streamlit", token] + ([self.session_id] if resume and self.session_id else [])
        ws_url = "ws" + self.base_url.removeprefix("http") + "/_stcore/stream"
        self.ws = await connect(
            ws_url,
            subprotocols=protocols,
            origin=self.base_url,
            max_size=None,
            compression=None,
            open_timeout=None,  # load() bounds the whole page load
            ping_interval=None,  # a browser does not ping; the server does
            additional_headers=self._cookie_header(),
        )
        rerun = BackMsg()
        rerun.rerun_script.page_name, _, rerun.rerun_script.query_string = split_link(query)
        await self.ws.send(rerun.SerializeToString())
        await self._read_run(page, start, digest)

    async def change(self, timeout: float = 120.0) -> PageLoad:
        """Move the Epochs slider one step on the loaded page, as a hand does, and time the rerun
        from the BackMsg to the new chart. The websocket stays open."""
        page = PageLoad()
        try:
            await asyncio.wait_for(self._change(page), timeout)
        except TimeoutError:
            page.error = f"timeout after {timeout:g} s"
        except Exception as error:  # a bench reports every failure, it never stops on one
            page.error = f"{type(error).__name__}: {error}"
        return page

    async def _change(self, page: PageLoad) -> None:
        if self.ws is None or EPOCHS not in self.widgets:
            raise RuntimeError("no page with an Epochs slider is loaded")
        widget_id, epochs = self.widgets[EPOCHS]
        rerun = BackMsg()
        rerun.rerun_script.query_string = self.query_string
        state = rerun.rerun_script.widget_states.widgets.add()
        state.id = widget_id
        state.double_array_value.data.append(epochs % 50 + 1)
        start = time.perf_counter()
        await self.ws.send(rerun.SerializeToString())
        await self._read_run(page, start, digest=False)

    async def _read_run(self, page: PageLoad, start: float, digest: bool) -> None:
        """Read ForwardMsgs until the script run has finished, noting what the page shows."""
        async for data in self.ws:
            page.bytes += len(data)
            msg = ForwardMsg()
            msg.ParseFromString(data)
            kind = msg.WhichOneof("type")
            if kind == "new_session":
                page.session_id = self.session_id = msg.new_session.initialize.session_id
            elif kind == "page_info_changed":
                page.query_string = self.query_string = msg.page_info_changed.query_string
            elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
                element = msg.delta.new_element
                what = element.WhichOneof("type")
                if what in CHARTS:  # the run is drawn once all are sent
                    page.chart_s = time.perf_counter() - start
                    if digest:
                        both = page.chart_digest + chart_digest(element)
                        page.chart_digest = hashlib.sha256(both.encode()).hexdigest()
                elif what == "exception":
                    page.exceptions.append(element.exception)
                elif what == "alert" and element.alert.body.startswith(QUEUED):
                    page.queued = True
                    if page.place is None:
                        page.place = int(element.alert.body[len(QUEUED) :].split()[0])
                elif what == "slider" and element.slider.id.endswith("-" + EPOCHS):
                    self.widgets[EPOCHS] = (element.slider.id, int(element.slider.value[0]))
            elif kind == "script_finished":
                status = msg.script_finished
                if status in (
                    ForwardMsg.FINISHED_SUCCESSFULLY,
                    ForwardMsg.FINISHED_WITH_COMPILE_ERROR,
                ):
                    page.finished_s = time.perf_counter() - start
                    break
        if page.finished_s is None:
            page.error = "the websocket closed before the script run finished"
        elif page.exceptions:
            page.error = f"the page shows {len(page.exceptions)} exception(s)"
        elif page.chart_s is None:
            page.error = "the run finished without a chart"

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()
            self.ws = None


@dataclass
class ProcessSample:
    """A server process's resident memory and CPU time, from /proc."""

    rss_mb: float
    peak_rss_mb: float
    cpu_s: float

    @classmethod
    def of(cls, pids: list[int]) -> ProcessSample:
        """The sum over these processes (the peak: the sum of each one's peak)."""
        samples = [cls._of(pid) for pid in pids]
        return cls(*(sum(values) for values in zip(*(astuple(s) for s in samples), strict=True)))

    @classmethod
    def _of(cls, pid: int) -> ProcessSample:
        status = Path(f"/proc/{pid}/status").read_text()
        kb = {
            k: int(v.split()[0])
            for k, v in (line.split(":", 1) for line in status.splitlines())
            if k in ("VmRSS", "VmHWM")
        }
        stat = Path(f"/proc/{pid}/stat").read_text()
        utime, stime = (int(x) for x in stat.rsplit(")", 1)[1].split()[11:13])
        ticks = os.sysconf("SC_CLK_TCK")
        return cls(kb["VmRSS"] / 1024, kb["VmHWM"] / 1024, (utime + stime) / ticks)


@dataclass
class Round:
    """One round: each tab's page load, its change (with --change), and the replica it got."""

    pages: list[PageLoad]
    changes: list[PageLoad]
    replicas: Counter


def split_link(query: str) -> tuple[str, str, str]:
    """(page, "?", query string) of a link: "conditioning?n=200" opens that page, "n=200" (or
    "?n=200") the app's first page."""
    if "?" not in query:
        return "", "?", query
    page, mark, rest = query.partition("?")
    return page.strip("/"), mark, rest


def link(query: str, tab: int) -> str:
    """The tab's link: `{i}` in the query becomes the tab's number (1, 2, ...)."""
    return query.replace("{i}", str(tab))


async def load_many(
    url: str, sessions: int, query: str, timeout: float, change: bool = False, first: int = 1
) -> Round:
    """`sessions` page loads at once, each in its own tab (numbered from `first`), all closed at
    the end; with `change`, each tab then moves a control, all at once again."""
    tabs = [Session(url) for _ in range(sessions)]
    try:
        pages = await asyncio.gather(
            *(tab.load(link(query, i), timeout) for i, tab in enumerate(tabs, start=first))
        )
        changes = []
        if change:
            changes = await asyncio.gather(*(tab.change(timeout) for tab in tabs))
        return Round(list(pages), list(changes), Counter(tab.cookies.get(COOKIE) for tab in tabs))
    finally:
        await asyncio.gather(*(tab.close() for tab in tabs), return_exceptions=True)


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0..100), nearest rank."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)]


def times(pages: list[PageLoad]) -> str:
    """p50 and p95 of the seconds to the chart, over the pages without an error."""
    good = [p.chart_s for p in pages if p.error is None and p.chart_s is not None]
    if not good:
        return f"{'-':>8} {'-':>8}"
    return f"{statistics.median(good):8.2f} {percentile(good, 95):8.2f}"


def report(round_: Round, wall: float, before, after) -> str:
    """One line of the table: times to the chart, errors, bytes and the server's cost per load."""
    pages, sessions = round_.pages, len(round_.pages)
    mb = sum(p.bytes for p in pages) / sessions / 1e6
    errors = sum(p.error is not None for p in pages + round_.changes)
    queued = sum(p.queued for p in pages)
    line = f"{sessions:>8} {times(pages)} {errors:>6} {queued:>6} {mb:>8.2f} {wall:>7.1f}"
    if before and after:
        cpu = (after.cpu_s - before.cpu_s) / sessions
        line += f" {cpu:>9.3f} {before.rss_mb:>8.0f} {after.rss_mb:>8.0f} {after.peak_rss_mb:>8.0f}"
    if round_.changes:
        line += f"   change: {times(round_.changes)}"
    return line


HEADER = (
    f"{'sessions':>8} {'p50 s':>8} {'p95 s':>8} {'errors':>6} {'queued':>6} {'MB/load':>8}"
    f" {'wall s':>7} {'CPU s/ld':>9} {'RSS0 MB':>8} {'RSS1 MB':>8} {'peak MB':>8}"
)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(url: str, process: subprocess.Popen, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args[0]} exited with code {process.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{url} was not healthy within {timeout:g} s")


@dataclass
class Served:
    """What serve() started: the URL a tab opens, and each replica's process by name."""

    url: str
    replicas: dict[str, subprocess.Popen]
    stats: str = ""  # HAProxy's stats page, when proxied


REPLICAS = ("app1", "app2", "app3")  # the servers of deploy/haproxy.cfg
COOKIE = "LINREG_REPLICA"  # the sticky cookie deploy/haproxy.cfg inserts
HAPROXY_CFG = ROOT / "deploy" / "haproxy.cfg"


def haproxy_config(replicas: int, folder: Path) -> Path:
    """deploy/haproxy.cfg as it is for its three replicas; for another count, a copy whose
    `server` lines are those of app1, app2, ... (what deploy/README.md says to do by hand)."""
    if replicas == len(REPLICAS):
        return HAPROXY_CFG
    lines = HAPROXY_CFG.read_text().splitlines()
    servers = [i for i, line in enumerate(lines) if line.strip().startswith("server app")]
    template = lines[servers[0]]
    ours = [
        template.replace("app1", f"app{k}").replace("APP1", f"APP{k}")
        for k in range(1, replicas + 1)
    ]
    config = folder / "haproxy.cfg"
    config.write_text("\n".join(lines[: servers[0]] + ours + lines[servers[-1] + 1 :]) + "\n")
    return config


@contextmanager
def serve(
    log, haproxy: str | None = None, replicas: int = len(REPLICAS), options: tuple[str, ...] = ()
) -> Iterator[Served]:
    """`streamlit run app.py` on a free loopback port, from the repository root (its
    .streamlit/config.toml applies, and any Streamlit `options` after it); given haproxy (its
    binary), `replicas` such servers behind it, running deploy/haproxy.cfg on loopback ports.
    All are stopped on exit."""
    names = [f"app{k}" for k in range(1, (replicas if haproxy else 1) + 1)]
    ports = {name: free_port() for name in names}
    started = {}
    try:
        for name, port in ports.items():
            command = [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                str(ROOT / "app.py"),
                "--server.port",
                str(port),
                "--server.address",
                "127.0.0.1",
                *options,
            ]
            started[name] = subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=log)
        for name, port in ports.items():
            wait_healthy(f"http://127.0.0.1:{port}", started[name])
        servers = dict(started)
        if haproxy is None:
            yield Served(f"http://127.0.0.1:{ports['app1']}", servers)
            return
        proxy, stats = free_port(), free_port()
        env = {
            **os.environ,
            "HAPROXY_BIND": f"127.0.0.1:{proxy}",
            "HAPROXY_STATS_BIND": f"127.0.0.1:{stats}",
            **{name.upper(): f"127.0.0.1:{port}" for name, port in ports.items()},
        }
        with tempfile.TemporaryDirectory() as folder:
            config = haproxy_config(replicas, Path(folder))
            started["haproxy"] = subprocess.Popen(
                [haproxy, "-db", "-f", str(config)], env=env, stdout=log, stderr=log
            )
            wait_healthy(f"http://127.0.0.1:{proxy}", started["haproxy"])
            yield Served(f"http://127.0.0.1:{proxy}", servers, f"http://127.0.0.1:{stats}")
    finally:
        for process in started.values():
            if process.poll() is None:
                process.terminate()
        for process in started.values():
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def reset_peak(pids: list[int]) -> None:
    """Start each process's peak RSS (VmHWM) afresh, so that a wave's peak is its own."""
    for pid in pids:
        Path(f"/proc/{pid}/clear_refs").write_text("5")


def waves(url: str, pids: list[int], args) -> None:
    """Classes coming and going: `args.waves` waves of sessions, each past the server's
    disconnected-session TTL before the next; the server's memory after each."""
    sessions, wait = max(args.sessions), args.ttl + 5
    print(f"{args.waves} waves of {sessions} sessions, {wait} s apart (TTL {args.ttl} s)")
    print(
        f"{'wave':>4} {'p50 s':>8} {'p95 s':>8} {'errors':>6} {'RSS0 MB':>8} "
        f"{'peak MB':>8} {'MB/sess':>8} {'RSS after TTL':>14}"
    )
    first_peak = None
    for wave in range(1, args.waves + 1):
        reset_peak(pids)
        before = ProcessSample.of(pids)
        round_ = asyncio.run(load_many(url, sessions, args.query, min(args.timeout, MAX_SECONDS)))
        peak = ProcessSample.of(pids).peak_rss_mb
        time.sleep(wait)  # the tabs are closed; their sessions outlive them by the TTL
        after = ProcessSample.of(pids)
        first_peak = first_peak or peak
        errors = sum(p.error is not None for p in round_.pages)
        per_session = (peak - before.rss_mb) / sessions
        print(
            f"{wave:>4} {times(round_.pages)} {errors:>6} {before.rss_mb:>8.0f} {peak:>8.0f} "
            f"{per_session:>8.2f} {after.rss_mb:>14.0f}",
            flush=True,
        )
    growth = after.rss_mb / first_peak - 1
    print(f"RSS after the last wave: {after.rss_mb:.0f} MB, {growth:+.1%} of the first wave's peak")


# The costliest links a visitor can send (issue 17), as many distinct tabs of each (a seed of
# their own) as TABS x the share here: the two that held the most memory before (100 and 40
# tabs), float64 SGD at the update cap, and runs at the cost budget by the price table (float32
# Adam at batch 1, the PyTorch engine, a comparison of Adam runs), 1 to 2.5 s each.
WORST = (
    (1.0, "conditioning?n=100000&steps=50&seed={i}"),
    (0.4, "n=100000&batch_size=1000&epochs=50&seed={i}"),
    (0.2, "n=100000&batch_size=1&epochs=20&lr=0.0001&seed={i}"),
    (0.2, "n=100000&batch_size=1&epochs=3&optimizer=adam&dtype=float32&lr=0.001&seed={i}"),
    (0.2, "n=10000&batch_size=1&epochs=1&engine=torch&lr=0.001&seed={i}"),
    (0.2, "compare?n=100000&runs=adam:0.001:1&epochs=3&seed={i}"),
)


async def storm(
    url: str, tabs: int, query: str, timeout: float, first: int
) -> tuple[Round, PageLoad]:
    """`tabs` distinct tabs of the link at once, and one bystander opening the default page a
    second after they began: what another visitor waits meanwhile."""

    async def bystander() -> PageLoad:
        await asyncio.sleep(1.0)
        tab = Session(url)
        try:
            return await tab.load("", timeout)
        finally:
            await tab.close()

    return await asyncio.gather(load_many(url, tabs, query, timeout, first=first), bystander())


def in_queue_order(pages: list[PageLoad]) -> float:
    """Of the pairs of queued tabs, the share whose charts came in the order of their places."""
    queued = [(p.place, p.chart_s) for p in pages if p.place is not None and p.chart_s]
    pairs = [(a, b) for i, a in enumerate(queued) for b in queued[i + 1 :] if a[0] != b[0]]
    if not pairs:
        return math.nan
    return sum((a[0] < b[0]) == (a[1] < b[1]) for a, b in pairs) / len(pairs)


def worst(url: str, pids: list[int], tabs: int, timeout: float, only: str = "") -> None:
    """Each of WORST alone (its CPU), then its share of `tabs` distinct tabs at once: times,
    the server's peak memory, and a bystander's default page against the same page on the
    quiet server just before (the ratio: the machine's own load falls on both). With `only`,
    just the links that contain it."""
    print(f"\nthe costliest links: one tab alone, then distinct tabs at once ({tabs} x share)")
    print(
        f"{'link':<60} {'CPU s':>6} {'tabs':>5} {'p50 s':>8} {'p95 s':>8} {'errors':>6}"
        f" {'queued':>6} {'in order':>8} {'peak MB':>8} {'bystander s':>11} {'quiet s':>7}"
    )
    for number, (share, query) in enumerate(WORST):
        if only not in query:
            continue
        first = 1000 * (number + 1)  # seeds no other round draws: nothing cached helps
        before = ProcessSample.of(pids)
        alone = asyncio.run(load_many(url, 1, query, timeout, first=first))
        cpu = ProcessSample.of(pids).cpu_s - before.cpu_s
        quiet = asyncio.run(load_many(url, 1, "", timeout)).pages[0].chart_s or math.nan
        reset_peak(pids)
        count = max(1, round(tabs * share))
        round_, bystander = asyncio.run(storm(url, count, query, timeout, first + 1))
        peak = ProcessSample.of(pids).peak_rss_mb
        errors = sum(p.error is not None for p in round_.pages + alone.pages)
        queued = sum(p.queued for p in round_.pages)
        waited = bystander.chart_s if bystander.error is None else math.nan
        print(
            f"{query:<60.60} {cpu:6.2f} {count:>5} {times(round_.pages)} {errors:>6} {queued:>6}"
            f" {in_queue_order(round_.pages):8.0%} {peak:8.0f} {waited:11.2f} {quiet:7.2f}",
            flush=True,
        )
        for error in sorted({p.error for p in round_.pages + alone.pages if p.error}):
            print(f"{'':>8} error: {error}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="a running app on loopback; default: start one")
    parser.add_argument(
        "--pid",
        type=int,
        nargs="*",
        default=[],
        help="with --url: the server's pid(s), for memory and CPU",
    )
    parser.add_argument(
        "--haproxy",
        metavar="BINARY",
        help="start replicas behind this haproxy (deploy/haproxy.cfg)",
    )
    parser.add_argument("--replicas", type=int, default=len(REPLICAS), help="with --haproxy")
    parser.add_argument("--sessions", type=int, nargs="+", default=[1, 10, 100])
    parser.add_argument(
        "--query",
        default="",
        help="the link's query string ({i}: the tab's number); default: defaults",
    )
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds per round")
    parser.add_argument(
        "--change", action="store_true", help="then move a control on every page; time the rerun"
    )
    parser.add_argument("--waves", type=int, default=0, help="waves of the largest session count")
    parser.add_argument(
        "--worst", type=int, default=0, metavar="TABS", help="the costliest links (WORST)"
    )
    parser.add_argument("--only", default="", help="with --worst: the links that contain this")
    parser.add_argument(
        "--ttl", type=int, default=120, help="server.disconnectedSessionTTL of a started server"
    )
    args = parser.parse_args()
    if any(not 1 <= n <= MAX_SESSIONS for n in args.sessions):
        raise SystemExit(f"bench.load: sessions must be 1 to {MAX_SESSIONS}")
    if not 1 <= args.replicas <= 8:
        raise SystemExit("bench.load: replicas must be 1 to 8")
    timeout = min(args.timeout, MAX_SECONDS)
    with tempfile.TemporaryFile() as log, ExitStack() as stack:
        url, pids = args.url, args.pid
        if url is None:
            options = ("--server.disconnectedSessionTTL", str(args.ttl))
            served = stack.enter_context(serve(log, args.haproxy, args.replicas, options))
            url, pids = served.url, [p.pid for p in served.replicas.values()]
        require_loopback(url)
        # One page load per replica first (behind the proxy, each new tab goes to the next one),
        # so that the rounds below measure warm caches.
        cold = [asyncio.run(load_many(url, 1, args.query, timeout)).pages[0] for _ in pids or [0]]
        print(f"server {url} (pids {pids or 'unknown: pass --pid'}), query {args.query!r}")
        for page in cold:
            print(
                f"first page load (cold caches): chart after {page.chart_s or math.nan:.2f} s"
                f", error: {page.error}"
            )
        if args.waves:
            waves(url, pids, args)
            return
        if args.worst:
            if not pids:
                raise SystemExit("bench.load: --worst measures the server: pass --pid")
            worst(url, pids, min(args.worst, MAX_SESSIONS), timeout, args.only)
            return
        print(HEADER)
        for sessions in args.sessions:
            before = ProcessSample.of(pids) if pids else None
            start = time.perf_counter()
            round_ = asyncio.run(load_many(url, sessions, args.query, timeout, args.change))
            wall = time.perf_counter() - start
            after = ProcessSample.of(pids) if pids else None
            print(report(round_, wall, before, after), flush=True)
            if args.haproxy:
                spread = ", ".join(f"{name} {n}" for name, n in sorted(round_.replicas.items()))
                print(f"{'':>8} sessions per replica: {spread}")
            for error in sorted({p.error for p in round_.pages + round_.changes if p.error}):
                print(f"{'':>8} error: {error}")


if __name__ == "__main__":
    main()
