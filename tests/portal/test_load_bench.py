"""The load benchmark's machinery (benchmarks/bench_load.py) against a live server, for two seconds.

No timing is asserted: the figures belong to ``make bench``.  What is proved here is that the
clients, the per-endpoint statistics and the table work, and that the mixed pages, searches and
APIs of the scenarios answer without errors.
"""
import pytest

from benchmarks import bench_load

LIVE = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def small_site(make_regulation, live_server):
    """Return the endpoints of a small published site served by ``live_server``."""
    long_law = make_regulation(title="测试城市道路管理条例", slug="roads",
                               text="\n\n".join(f"第{bench_load.chinese_number(n)}条 城市道路管理的规定之{n}。"
                                                for n in range(1, 60)))
    other = make_regulation(title="测试市容管理办法", slug="rongmao", text="第一条 为了加强市容管理，制定本办法。")
    laws = long_law.get_parent()
    return {"list": laws.url, "list_pages": [f"{laws.url}?page=2"], "sections": [laws.url],
            "long_regulation": long_law.url, "regulations": [long_law.url, other.url], "records": [other.url]}


@LIVE
def test_load_machinery_reports_every_endpoint_without_errors(live_server, small_site):
    mix = bench_load.scenario_b(small_site)

    result = bench_load.run_load(live_server.url, mix, clients=3, seconds=2, name="冒烟")

    assert result.errors == 0, bench_load.table(result)
    assert all(stats.latencies for stats in result.endpoints.values()), bench_load.table(result)
    lines = bench_load.table(result).splitlines()
    assert lines[1].split()[:2] == ["端点", "请求数"]
    assert [line.split()[0] for line in lines[2:]] == [*mix, "合计"]
    assert lines[-1].split()[1] == str(result.requests) and lines[-1].split()[-1] == "0"


@LIVE
def test_the_uncached_scenario_asks_each_address_once_and_every_one_answers(live_server, small_site):
    mix = bench_load.scenario_uncached(small_site, count=50)

    result = bench_load.run_load(live_server.url, mix, clients=1, seconds=2, name="不经缓存")

    assert all(len(set(paths)) == len(paths) == 50 for paths in mix.values())
    assert result.errors == 0 and all(stats.latencies for stats in result.endpoints.values()), bench_load.table(result)


@LIVE
def test_load_machinery_counts_errors_by_kind(live_server, small_site):
    mix = {"不存在的页面": ["/no-such-page/"], "首页": ["/"]}

    result = bench_load.run_load(live_server.url, mix, clients=2, seconds=1, name="错误")

    assert result.endpoints["不存在的页面"].errors == {"HTTP 404": result.endpoints["不存在的页面"].error_count}
    assert result.endpoints["不存在的页面"].error_count > 0 and result.endpoints["首页"].error_count == 0
    assert "错误：不存在的页面 HTTP 404" in bench_load.table(result)


def test_percentile_is_the_nearest_rank():
    values = [float(n) for n in range(1, 101)]
    assert bench_load.percentile(values, 0.5) == 50.0
    assert bench_load.percentile(values, 0.95) == 95.0
    assert bench_load.percentile([], 0.95) == 0.0
