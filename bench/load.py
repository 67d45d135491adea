"""How many page loads at once can one server take? Sessions that speak Streamlit's own protocol.

Each simulated session does what a browser tab does: GET /_stcore/health (which sets the XSRF
cookie, and a proxy's sticky cookie), open the websocket /_stcore/stream with the XSRF token in
its subprotocols, and send a rerun_script BackMsg with the link's query string. It then reads
ForwardMsgs until the script run has finished, and records the seconds from its connect (the
health request) to the last chart element (plotly_chart or custom component), the bytes received
and any error. Loopback targets only; session count and time are bounded.

Run by hand (not part of pytest); without --url it starts `streamlit run app.py` on a free port:
    .venv/bin/python -m bench.load                        # 1, 10 and 100 sessions at defaults
    .venv/bin/python -m bench.load --sessions 10 --query "lr=0.1&epochs=5"
    .venv/bin/python -m bench.load --haproxy /usr/sbin/haproxy   # three replicas behind HAProxy
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
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import astuple, dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlsplit

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.asyncio.client import ClientConnection, connect

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
    """What one page load saw, timed from its connect (its first request)."""

    chart_s: float | None = None  # to the last chart element (every view and the player)
    finished_s: float | None = None  # to script_finished
    bytes: int = 0
    error: str | None = None
    session_id: str = ""
    chart_digest: str = ""  # with digest=True: sha256 of the chart's data, the same for one run
    exceptions: list = field(default_factory=list)  # Exception elements the page showed
    query_string: str = ""  # the URL the app wrote back (page_info_changed)


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
        rerun.rerun_script.query_string = query
        await self.ws.send(rerun.SerializeToString())
        async for data in self.ws:
            page.bytes += len(data)
            msg = ForwardMsg()
            msg.ParseFromString(data)
            kind = msg.WhichOneof("type")
            if kind == "new_session":
                page.session_id = self.session_id = msg.new_session.initialize.session_id
            elif kind == "page_info_changed":
                page.query_string = msg.page_info_changed.query_string
            elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
                element = msg.delta.new_element
                if element.WhichOneof("type") in CHARTS:  # the run is drawn once all are sent
                    page.chart_s = time.perf_counter() - start
                    if digest:
                        both = page.chart_digest + chart_digest(element)
                        page.chart_digest = hashlib.sha256(both.encode()).hexdigest()
                elif element.WhichOneof("type") == "exception":
                    page.exceptions.append(element.exception)
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


async def load_many(url: str, sessions: int, query: str, timeout: float) -> list[PageLoad]:
    """`sessions` page loads at once, each in its own tab, all closed at the end."""
    tabs = [Session(url) for _ in range(sessions)]
    try:
        return list(await asyncio.gather(*(tab.load(query, timeout) for tab in tabs)))
    finally:
        await asyncio.gather(*(tab.close() for tab in tabs), return_exceptions=True)


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0..100), nearest rank."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)]


def report(sessions: int, pages: list[PageLoad], wall: float, before, after) -> str:
    """One line of the table: times to the chart, errors, bytes and the server's cost per load."""
    times = [p.chart_s for p in pages if p.error is None and p.chart_s is not None]
    p50 = f"{statistics.median(times):8.2f}" if times else f"{'-':>8}"
    p95 = f"{percentile(times, 95):8.2f}" if times else f"{'-':>8}"
    mb = sum(p.bytes for p in pages) / len(pages) / 1e6
    errors = sum(p.error is not None for p in pages)
    line = f"{sessions:>8} {p50} {p95} {errors:>6} {mb:>8.2f} {wall:>7.1f}"
    if before and after:
        cpu = (after.cpu_s - before.cpu_s) / sessions
        line += f" {cpu:>9.2f} {before.rss_mb:>8.0f} {after.rss_mb:>8.0f} {after.peak_rss_mb:>8.0f}"
    return line


HEADER = (
    f"{'sessions':>8} {'p50 s':>8} {'p95 s':>8} {'errors':>6} {'MB/load':>8} {'wall s':>7}"
    f" {'CPU s/ld':>9} {'RSS0 MB':>8} {'RSS1 MB':>8} {'peak MB':>8}"
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


@contextmanager
def serve(log, haproxy: str | None = None) -> Iterator[Served]:
    """`streamlit run app.py` on a free loopback port, from the repository root (its
    .streamlit/config.toml applies); given haproxy (its binary), three such replicas behind it,
    running deploy/haproxy.cfg as it is on loopback ports. All are stopped on exit."""
    ports = {name: free_port() for name in (REPLICAS if haproxy else REPLICAS[:1])}
    replicas, started = {}, []
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
            ]
            replicas[name] = subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=log)
            started.append(replicas[name])
        for name, port in ports.items():
            wait_healthy(f"http://127.0.0.1:{port}", replicas[name])
        if haproxy is None:
            yield Served(f"http://127.0.0.1:{ports['app1']}", replicas)
            return
        proxy, stats = free_port(), free_port()
        env = {
            **os.environ,
            "HAPROXY_BIND": f"127.0.0.1:{proxy}",
            "HAPROXY_STATS_BIND": f"127.0.0.1:{stats}",
            **{name.upper(): f"127.0.0.1:{port}" for name, port in ports.items()},
        }
        config = ROOT / "deploy" / "haproxy.cfg"
        started.append(
            subprocess.Popen([haproxy, "-db", "-f", str(config)], env=env, stdout=log, stderr=log)
        )
        wait_healthy(f"http://127.0.0.1:{proxy}", started[-1])
        yield Served(f"http://127.0.0.1:{proxy}", replicas, f"http://127.0.0.1:{stats}")
    finally:
        for process in started:
            if process.poll() is None:
                process.terminate()
        for process in started:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


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
        help="start three replicas behind this haproxy (deploy/haproxy.cfg)",
    )
    parser.add_argument("--sessions", type=int, nargs="+", default=[1, 10, 100])
    parser.add_argument("--query", default="", help="the link's query string; default: defaults")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds per round")
    args = parser.parse_args()
    if any(not 1 <= n <= MAX_SESSIONS for n in args.sessions):
        raise SystemExit(f"bench.load: sessions must be 1 to {MAX_SESSIONS}")
    timeout = min(args.timeout, MAX_SECONDS)
    with tempfile.TemporaryFile() as log, ExitStack() as stack:
        url, pids = args.url, args.pid
        if url is None:
            served = stack.enter_context(serve(log, args.haproxy))
            url, pids = served.url, [p.pid for p in served.replicas.values()]
        require_loopback(url)
        # One page load per replica first (behind the proxy, each new tab goes to the next one),
        # so that the rounds below measure warm caches.
        cold = [asyncio.run(load_many(url, 1, args.query, timeout))[0] for _ in pids or [0]]
        print(f"server {url} (pids {pids or 'unknown: pass --pid'}), query {args.query!r}")
        for page in cold:
            print(
                f"first page load (cold caches): chart after {page.chart_s or math.nan:.2f} s"
                f", error: {page.error}"
            )
        print(HEADER)
        for sessions in args.sessions:
            before = ProcessSample.of(pids) if pids else None
            start = time.perf_counter()
            pages = asyncio.run(load_many(url, sessions, args.query, timeout))
            wall = time.perf_counter() - start
            after = ProcessSample.of(pids) if pids else None
            print(report(sessions, pages, wall, before, after), flush=True)
            for error in sorted({p.error for p in pages if p.error}):
                print(f"{'':>8} error: {error}")


if __name__ == "__main__":
    main()
