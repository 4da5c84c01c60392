"""Load test: the portal as in production (gunicorn, DEBUG off, WhiteNoise) with ≥ 10,000 pages.

    .venv/bin/python benchmarks/bench_load.py [--pages N] [--rebuild] [--workers N]
    make bench

1. Prepares a site once and keeps it under var/bench/load-<N>/ (rebuilt when the migrations change,
   or with --rebuild): a SQLite database with ``migrate`` + ``load_demo`` + N regulations of
   8–16 articles made from the demo law texts and imported with ``import_texts`` (the editors'
   batch import), and ``collectstatic`` with the production settings.  The first run takes a while
   (on a shared 2-core machine about 1 ms of CPU per character imported); later runs start at once.
2. Serves a copy of that database with ``scripts/serve.sh --no-setup`` (gunicorn, the production
   settings, only environment variables) on a free port of 127.0.0.1, and waits for /healthz.
3. Runs two closed-loop scenarios — each client a thread with its own keep-alive connection,
   sending the next request when the last one is answered — and prints per endpoint: requests,
   req/s, p50, p95, max and errors (any status other than 200, or a failed connection):
   a) issue 6: 20 clients for 30 s on the home page, a list page, a long regulation, a search;
   b) issue 8: 50 clients for 60 s on a mix of pages, searches and the JSON APIs;
   and, between them, one client for 20 s on addresses the anonymous page cache cannot answer (a
   query string of their own on each page, a different search each time): the cost of rendering.
   The server has its own page cache (a file cache in its temporary folder), as in production.

Environment (for a quick smoke run): BENCH_PAGES, BENCH_SECONDS_A, BENCH_SECONDS_B, BENCH_SECONDS_C, BENCH_CLIENTS_A,
BENCH_CLIENTS_B, BENCH_WORKERS (gunicorn processes), BENCH_THREADS (threads per process).
The clients run in this process and share the machine with the server: the figures are the
server's and the load generator's together, on whatever else the machine is doing.
"""

from __future__ import annotations

import argparse
import hashlib
import http.client
import json
import math
import os
import random
import re
import secrets
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlsplit

ROOT = Path(__file__).resolve().parents[1]
PYTHON = Path(sys.executable)
BENCH_DIR = ROOT / "var" / "bench"
DEMO_LAWS = ROOT / "demo" / "data" / "laws"
CHINESE_NUMERALS = "零一二三四五六七八九"
TOPICS = ["城市道路", "市容环境卫生", "食品经营", "户外广告设施", "建筑垃圾", "占道经营", "噪声污染", "燃气安全",
          "园林绿化", "停车管理", "餐饮油烟", "渣土运输", "违法建设", "供水节水", "物业管理", "城市照明"]
KINDS = ["管理办法", "实施细则", "管理规定", "执法指引", "若干规定"]
SEARCH_QUERIES = ["行政处罚", "食品安全", "城市道路 占用", '"责令限期改正"', "罚款 -警告", "市容环境卫生",
                  "标题:管理办法", "部门:城管", "行政强制 OR 查封", "许可 年份:2020-2024", "违法建设", "燃气"]
SUGGEST_PREFIXES = ["行政", "食品", "城市", "罚款", "许可"]


# --- numbers -----------------------------------------------------------------------------------------

def chinese_number(n: int) -> str:
    """Return 1–99 written as in article numbers: 1 → 一, 10 → 十, 12 → 十二, 40 → 四十."""
    if not 0 < n < 100:
        raise ValueError(n)
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else "十" if tens == 1 else CHINESE_NUMERALS[tens] + "十"
    return head + (CHINESE_NUMERALS[ones] if ones else "")


def percentile(values: list[float], fraction: float) -> float:
    """Return the value below which ``fraction`` of ``values`` lie (nearest rank; 0 when empty)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(fraction * len(ordered)) - 1))]


# --- the generated regulations -------------------------------------------------------------------------

def article_sentences(folder: Path = DEMO_LAWS) -> list[str]:
    """Return the text of every article of the demo laws (without its 第X条 number)."""
    sentences = []
    for path in sorted(folder.glob("*.md")):
        text = path.read_text(encoding="utf-8").split("<!-- INFO END -->", 1)[-1]
        for line in text.splitlines():
            match = re.match(r"第[一二三四五六七八九十百零]+条\s+(.+)", line.strip())
            if match and 20 <= len(match.group(1)) <= 300:
                sentences.append(match.group(1))
    return sentences


def write_regulations(folder: Path, count: int, seed: int = 8) -> int:
    """Write ``count`` regulation texts in the import format (# 标题, chapters, articles); return their
    total size in characters.  Each is unique (a number in its title) and dated in its file name."""
    rng = random.Random(seed)
    sentences = article_sentences()
    total = 0
    for n in range(1, count + 1):
        title = f"{rng.choice(['淄博市', '周村区', '山东省'])}{rng.choice(TOPICS)}{rng.choice(KINDS)}（第{n}号）"
        year, month, day = rng.randrange(2005, 2027), rng.randrange(1, 13), rng.randrange(1, 29)
        lines = [f"# {title}", "", f"{year}年{month}月{day}日 发布", "", "<!-- INFO END -->", ""]
        article = 0
        for chapter in range(1, rng.randrange(3, 5)):
            lines += [f"## 第{chinese_number(chapter)}章 {'总则' if chapter == 1 else '管理规定'}", ""]
            for _ in range(rng.randrange(4, 7)):
                article += 1
                lines += [f"第{chinese_number(article)}条 {rng.choice(sentences)}", ""]
        text = "\n".join(lines)
        total += len(text)
        (folder / f"bench-{n:05d}({year}-{month:02d}-{day:02d}).md").write_text(text, encoding="utf-8")
    return total


def bulk_import(folder: Path, batch: int = 200) -> str:
    """Import every text of ``folder`` with the editors' importer (``portal.importer.import_file``:
    parse, page, revision, publish), in transactions of ``batch`` files; return its summary.

    Runs inside Django (``--bulk-import``).  Unlike ``import_texts``, the search indexes are not
    updated page by page: the portal's own index and Wagtail's are rebuilt once at the end with
    ``reindex`` (several processes segment in parallel), which is several times faster.
    """
    from django.conf import settings
    from django.db import transaction
    from wagtail.signal_handlers import disable_reference_index_auto_update

    from lib.progress import ProgressBar
    from portal.importer import ImportError_, ImportReport, import_file, text_files
    from portal.models import CategoryIndexPage, Department, Scope
    from search import signals

    for params in settings.WAGTAILSEARCH_BACKENDS.values():
        params["AUTO_UPDATE"] = False
    signals.page_published.disconnect(dispatch_uid="search_page_published")
    signals.post_save.disconnect(dispatch_uid="search_page_saved")

    parent = CategoryIndexPage.objects.get(section="laws")
    department = Department.objects.filter(is_bureau=True).first()
    files = text_files(folder)
    report, bar = ImportReport(), ProgressBar(len(files), "导入", stream=sys.stderr)
    for start in range(0, len(files), batch):
        # Wagtail's reference index ("usage" in the admin) is skipped too: these texts link to nothing.
        with transaction.atomic(), disable_reference_index_auto_update():
            for path in files[start:start + batch]:
                try:
                    page = import_file(path, parent, department, Scope.PUBLIC)
                except ImportError_ as exc:
                    report.failed.append((path.name, str(exc)))
                else:
                    (report.imported if page else report.skipped).append(path.name)
                bar.advance()
    bar.close()
    return report.summary()


# --- preparing and serving the site --------------------------------------------------------------------

def migrations_fingerprint() -> str:
    """Return a digest of every migration file of the project: the cached site is rebuilt when it changes."""
    digest = hashlib.sha256()
    for path in sorted(ROOT.glob("*/migrations/*.py")) + sorted(ROOT.glob("portal/*/migrations/*.py")):
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()[:16]


def manage(args: list[str], env: dict, quiet: bool = False) -> str:
    """Run ``manage.py ARGS`` in a subprocess with ``env``; return its stdout (raise on failure)."""
    result = subprocess.run([str(PYTHON), "manage.py", *args], cwd=ROOT, env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL if quiet else None)
    if result.returncode:
        raise SystemExit(f"manage.py {' '.join(args)} 失败（退出码 {result.returncode}）")
    return result.stdout


def base_env(**extra: str) -> dict:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("DJANGO_", "DATABASE_URL", "ELASTICSEARCH_URL", "DEBUG", "SECRET_KEY"))}
    env.update(extra)
    return env


ENDPOINTS_SCRIPT = r"""
import json
from django.contrib.auth.models import AnonymousUser
from wagtail.models import Page
from portal.walls.access import can_view
from portal.models import CategoryIndexPage, RegulationPage
anonymous = AnonymousUser()
laws = CategoryIndexPage.objects.get(section="laws")
sections = [p.url for p in CategoryIndexPage.objects.live()]
regulations = [p for p in RegulationPage.objects.live() if can_view(anonymous, p)]
demo = [p for p in regulations if "（第" not in p.title]
longest = max(demo, key=lambda p: len(str(p.body.raw_data)))
generated = [p.url for p in regulations if "（第" in p.title][::max(1, len(regulations) // 300)]
records = [p.url for p in Page.objects.live().filter(depth__gte=4).not_type(RegulationPage).specific()
           if can_view(anonymous, p)][:200]
print(json.dumps({"list": laws.url, "list_pages": [f"{laws.url}?page={n}" for n in (2, 10, 50)],
                  "sections": sections, "long_regulation": longest.url, "regulations": generated,
                  "records": records, "pages": Page.objects.live().count()}, ensure_ascii=False))
"""

def prepare(pages: int, rebuild: bool = False) -> Path:
    """Return the folder of the prepared site for ``pages`` generated pages, building it when needed."""
    folder = BENCH_DIR / f"load-{pages}"
    ready = folder / "ready.json"
    fingerprint = migrations_fingerprint()
    if not rebuild and ready.exists() and json.loads(ready.read_text())["migrations"] == fingerprint:
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    database = folder / "portal.sqlite3"
    # load_demo refuses to run with DEBUG off: the site is built with the development settings.
    env = base_env(DJANGO_SETTINGS_MODULE="portal.settings.dev", DEBUG="1", DATABASE_URL=f"sqlite:///{database}",
                   MEDIA_ROOT=str(folder / "media"))
    started = time.monotonic()
    print(f"准备站点（只在第一次或迁移变化后）：{folder}", flush=True)
    manage(["migrate", "--noinput", "--verbosity", "0"], env)
    manage(["load_demo"], env, quiet=True)
    with tempfile.TemporaryDirectory() as texts:
        size = write_regulations(Path(texts), pages)
        print(f"  导入 {pages} 篇生成的法规（共 {size / 1e6:.1f} 百万字）……", flush=True)
        result = subprocess.run([str(PYTHON), __file__, "--bulk-import", texts], cwd=ROOT, env=env, text=True,
                                stdout=subprocess.PIPE)
        if result.returncode:
            raise SystemExit("批量导入失败")
        print("  " + result.stdout.strip().splitlines()[-1], flush=True)
    print("  重建检索索引（reindex）……", flush=True)
    print("  " + manage(["reindex"], env).strip().splitlines()[-1], flush=True)
    with sqlite3.connect(database) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    prod = base_env(DJANGO_SETTINGS_MODULE="portal.settings.production", SECRET_KEY="bench-collectstatic-only",
                    STATIC_ROOT=str(folder / "static"), DATABASE_URL=f"sqlite:///{database}")
    manage(["collectstatic", "--noinput", "--verbosity", "0"], prod)
    endpoints = json.loads(manage(["shell", "--no-imports", "-c", ENDPOINTS_SCRIPT], env).strip().splitlines()[-1])
    ready.write_text(json.dumps({"migrations": fingerprint, "endpoints": endpoints,
                                 "seconds": round(time.monotonic() - started)}, ensure_ascii=False))
    print(f"  准备完成：{endpoints['pages']} 个页面，用时 {time.monotonic() - started:.0f} 秒", flush=True)
    return folder


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    process: subprocess.Popen
    base_url: str
    workdir: tempfile.TemporaryDirectory
    log: Path

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.workdir.cleanup()


def serve(folder: Path, workers: int, threads: int) -> Server:
    """Start gunicorn on a copy of the prepared database, as in production; return once /healthz is 200."""
    workdir = tempfile.TemporaryDirectory(prefix="portal-bench-")
    database = Path(workdir.name) / "portal.sqlite3"
    with sqlite3.connect(folder / "portal.sqlite3") as source, sqlite3.connect(database) as target:
        source.backup(target)
    port = free_port()
    log = Path(workdir.name) / "gunicorn.log"
    env = base_env(
        DJANGO_SETTINGS_MODULE="portal.settings.production", DEBUG="0", SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1", DATABASE_URL=f"sqlite:///{database}", STATIC_ROOT=str(folder / "static"),
        MEDIA_ROOT=str(folder / "media"), CACHE_URL=f"filecache://{Path(workdir.name) / 'cache'}",
        BIND_ADDRESS="127.0.0.1", PORT=str(port), WEB_CONCURRENCY=str(workers),
        GUNICORN_THREADS=str(threads), GUNICORN_CMD_ARGS="--access-logfile=/dev/null",
        PATH=f"{PYTHON.parent}{os.pathsep}{os.environ.get('PATH', '')}")
    with log.open("w") as out:
        process = subprocess.Popen([str(ROOT / "scripts" / "serve.sh"), "--no-setup"], cwd=ROOT, env=env,
                                   stdout=out, stderr=subprocess.STDOUT)
    server = Server(process, f"http://127.0.0.1:{port}", workdir, log)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            output = log.read_text(errors="replace")[-3000:]
            server.stop()
            raise SystemExit(f"gunicorn 未能启动：\n{output}")
        try:
            if fetch(server.base_url, "/healthz")[0] == 200:
                return server
        except OSError:
            pass
        time.sleep(0.5)
    server.stop()
    raise SystemExit("gunicorn 在 120 秒内没有就绪")


# --- the load ------------------------------------------------------------------------------------------

# A request still unanswered after this long counts as an error (gunicorn's own worker timeout).
REQUEST_TIMEOUT = 60.0
# As behind the production reverse proxy, which terminates TLS and says so.
PROXY_HEADERS = {"X-Forwarded-Proto": "https", "Accept-Language": "zh-CN"}


def fetch(base_url: str, path: str, connection: http.client.HTTPConnection | None = None) -> tuple[int, int]:
    """GET ``path``; return (status, body bytes).  Opens a connection of its own when none is given."""
    parts = urlsplit(base_url)
    conn = connection or http.client.HTTPConnection(parts.hostname, parts.port, timeout=REQUEST_TIMEOUT)
    try:
        conn.request("GET", path, headers={"Host": parts.netloc, **PROXY_HEADERS})
        response = conn.getresponse()
        return response.status, len(response.read())
    finally:
        if connection is None:
            conn.close()


@dataclass
class EndpointStats:
    latencies: list[float] = field(default_factory=list)  # seconds, of answered requests
    errors: dict[str, int] = field(default_factory=dict)  # "HTTP 500", "ConnectionResetError" … → count
    bytes: int = 0

    @property
    def error_count(self) -> int:
        return sum(self.errors.values())


@dataclass
class LoadResult:
    name: str
    clients: int
    seconds: float
    endpoints: dict[str, EndpointStats]

    @property
    def requests(self) -> int:
        return sum(len(s.latencies) + s.error_count for s in self.endpoints.values())

    @property
    def errors(self) -> int:
        return sum(s.error_count for s in self.endpoints.values())


def run_load(base_url: str, mix: dict[str, list[str]], clients: int, seconds: float, name: str = "",
             seed: int = 1) -> LoadResult:
    """Send GETs from ``clients`` threads for ``seconds``; each picks an endpoint of ``mix`` in turn and
    one of its paths at random.  Return the latencies and errors per endpoint.

    The loop is bounded in time (and each request by ``REQUEST_TIMEOUT``): it stops by itself.
    """
    names = list(mix)
    stats = {endpoint: EndpointStats() for endpoint in names}
    lock = threading.Lock()
    parts = urlsplit(base_url)
    start_gate = threading.Barrier(clients + 1)
    deadline = [0.0]

    def client(number: int) -> None:
        rng = random.Random(seed * 1000 + number)
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=REQUEST_TIMEOUT)
        turn = number
        start_gate.wait()
        while time.monotonic() < deadline[0]:
            endpoint = names[turn % len(names)]
            turn += 1
            path = rng.choice(mix[endpoint])
            began = time.perf_counter()
            try:
                status, size = fetch(base_url, path, conn)
                problem = None if status == 200 else f"HTTP {status}"
            except (OSError, http.client.HTTPException) as exc:
                problem, size = type(exc).__name__, 0
                conn.close()
                conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=REQUEST_TIMEOUT)
            elapsed = time.perf_counter() - began
            with lock:
                entry = stats[endpoint]
                if problem is None:
                    entry.latencies.append(elapsed)
                    entry.bytes += size
                else:
                    entry.errors[problem] = entry.errors.get(problem, 0) + 1
        conn.close()

    threads = [threading.Thread(target=client, args=(n,), daemon=True) for n in range(clients)]
    for thread in threads:
        thread.start()
    began = time.monotonic()
    deadline[0] = began + seconds
    start_gate.wait()
    for thread in threads:
        thread.join(seconds + REQUEST_TIMEOUT + 5)
    return LoadResult(name, clients, time.monotonic() - began, stats)


def _pad(text: str, width: int, right: bool = False) -> str:
    """Return ``text`` padded to ``width`` terminal columns (a Chinese character takes two)."""
    columns = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    fill = " " * max(0, width - columns)
    return fill + text if right else text + fill


def table(result: LoadResult) -> str:
    """Return the result as a text table: one row per endpoint and a total row."""
    widths = (16, 8, 9, 8, 8, 8, 6)
    headers = ("端点", "请求数", "请求/秒", "p50 ms", "p95 ms", "最大 ms", "错误")

    def row(cells) -> str:
        return "".join(_pad(str(c), w, right=i > 0) for i, (c, w) in enumerate(zip(cells, widths, strict=True)))

    def cells(name: str, latencies: list[float], count: int, errors: int) -> tuple:
        return (name, count, f"{count / result.seconds:.1f}", f"{percentile(latencies, 0.50) * 1000:.0f}",
                f"{percentile(latencies, 0.95) * 1000:.0f}", f"{max(latencies, default=0) * 1000:.0f}", errors)

    lines = [f"== {result.name}：{result.clients} 个并发客户端，{result.seconds:.0f} 秒", row(headers)]
    every: list[float] = []
    for endpoint, entry in result.endpoints.items():
        every += entry.latencies
        lines.append(row(cells(endpoint, entry.latencies, len(entry.latencies) + entry.error_count,
                               entry.error_count)))
    lines.append(row(cells("合计", every, result.requests, result.errors)))
    for endpoint, entry in result.endpoints.items():
        for problem, count in entry.errors.items():
            lines.append(f"  错误：{endpoint} {problem} × {count}")
    return "\n".join(lines)


def search_paths(prefix: str = "/search/?q=") -> list[str]:
    return [prefix + quote(q) for q in SEARCH_QUERIES]


def scenario_a(endpoints: dict) -> dict[str, list[str]]:
    """Issue 6: the home page, a list page, a long regulation, a search."""
    return {"首页": ["/"], "列表页": [endpoints["list"], *endpoints["list_pages"]],
            "长篇法规": [endpoints["long_regulation"]], "检索": search_paths()}


def scenario_uncached(endpoints: dict, count: int = 3000) -> dict[str, list[str]]:
    """Pages and searches the page cache cannot answer: every path carries a query string of its own
    (pages ignore it), every search asks something else.  Run with one client: it measures what a
    request costs to render, without queueing."""
    rng = random.Random(3)
    words = TOPICS + KINDS + ["行政处罚", "罚款", "许可", "责令改正", "没收", "查封", "扣押", "听证", "复议", "公示"]
    return {
        "首页": [f"/?v={n}" for n in range(count)],
        "列表页": [f"{endpoints['list']}?v={n}" for n in range(count)],
        "长篇法规": [f"{endpoints['long_regulation']}?v={n}" for n in range(count)],
        "检索": [f"/search/?q={quote(' '.join(rng.sample(words, rng.choice((1, 2)))))}&v={n}" for n in range(count)],
    }


def static_paths(base_url: str) -> list[str]:
    """Return the stylesheets and scripts the home page links to (served by WhiteNoise)."""
    parts = urlsplit(base_url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        conn.request("GET", "/", headers={"Host": parts.netloc, **PROXY_HEADERS})
        html = conn.getresponse().read().decode("utf-8", "replace")
    finally:
        conn.close()
    return sorted(set(re.findall(r"""["'](/static/[^"'?#]+\.(?:css|js))["']""", html)))


def scenario_b(endpoints: dict, static: list[str] | None = None) -> dict[str, list[str]]:
    """Issue 8: pages, searches and the JSON APIs mixed (and the static files pages link to, if given)."""
    return {
        "首页": ["/"],
        "栏目列表": [*endpoints["sections"], *endpoints["list_pages"]],
        "法规页面": endpoints["regulations"] or [endpoints["long_regulation"]],
        "长篇法规": [endpoints["long_regulation"]],
        "其他信息页": endpoints["records"] or ["/"],
        "检索": search_paths() + [f"/search/?q={quote(q)}&sort=date&page=2" for q in SEARCH_QUERIES[:4]],
        "检索API": search_paths("/api/search/?q="),
        "检索建议API": [f"/api/search/suggest/?q={quote(p)}" for p in SUGGEST_PREFIXES],
        "页面API": ["/api/v2/pages/?limit=20", "/api/v2/pages/?type=portal.RegulationPage&limit=20&offset=100"],
        **({"静态文件": static} if static else {}),
    }


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=int(os.environ.get("BENCH_PAGES", "10000")))
    parser.add_argument("--rebuild", action="store_true", help="重新准备站点（不用 var/bench/ 中的缓存）")
    parser.add_argument("--workers", type=int, default=int(os.environ.get("BENCH_WORKERS", "3")))
    parser.add_argument("--threads", type=int, default=int(os.environ.get("BENCH_THREADS", "4")))
    parser.add_argument("--bulk-import", metavar="DIR", help=argparse.SUPPRESS)  # the step run inside Django
    args = parser.parse_args(argv)
    if args.bulk_import:
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        print(bulk_import(Path(args.bulk_import)))
        return 0
    seconds_a = float(os.environ.get("BENCH_SECONDS_A", "30"))
    seconds_b = float(os.environ.get("BENCH_SECONDS_B", "60"))
    seconds_c = float(os.environ.get("BENCH_SECONDS_C", "20"))
    clients_a = int(os.environ.get("BENCH_CLIENTS_A", "20"))
    clients_b = int(os.environ.get("BENCH_CLIENTS_B", "50"))

    folder = prepare(args.pages, args.rebuild)
    endpoints = json.loads((folder / "ready.json").read_text())["endpoints"]
    server = serve(folder, args.workers, args.threads)
    try:
        print(f"gunicorn（{args.workers} 进程 × {args.threads} 线程，DEBUG 关闭）：{server.base_url}，"
              f"{endpoints['pages']} 个页面；{os.cpu_count()} 核，开始时负载 {os.getloadavg()[0]:.1f}", flush=True)
        # Warm-up, not counted: every worker loads its templates, the segmenter and its dictionary.
        run_load(server.base_url, scenario_b(endpoints), min(clients_b, args.workers * args.threads), 5)
        result_a = run_load(server.base_url, scenario_a(endpoints), clients_a, seconds_a, "场景一（议题 6）")
        print(table(result_a), flush=True)
        result_c = run_load(server.base_url, scenario_uncached(endpoints), 1, seconds_c,
                            "不经页面缓存（每个地址只请求一次）", seed=3)
        print(table(result_c), flush=True)
        mix_b = scenario_b(endpoints, static_paths(server.base_url))
        result_b = run_load(server.base_url, mix_b, clients_b, seconds_b, "场景二（议题 8）", seed=2)
        print(table(result_b), flush=True)
    finally:
        server.stop()
    failed = result_a.errors + result_b.errors + result_c.errors
    print(f"共 {result_a.requests + result_b.requests + result_c.requests} 个请求，错误 {failed} 个；结束时负载 {os.getloadavg()[0]:.1f}",
          flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
