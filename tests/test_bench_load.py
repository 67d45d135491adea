"""The load generator: only a server on this machine, each tab's own link, the proxy's replicas."""

import pytest

from bench.load import (
    HAPROXY_CFG,
    PageLoad,
    Session,
    haproxy_config,
    in_queue_order,
    link,
    split_link,
)


@pytest.mark.parametrize("url", ["http://192.0.2.1:8501", "http://[2001:db8::1]:8501", "http://"])
def test_a_target_off_this_machine_is_refused(url):
    with pytest.raises(SystemExit, match="bench.load"):
        Session(url)


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:8501", "http://localhost:8501", "http://[::1]:1"]
)
def test_loopback_targets_are_taken(url):
    assert Session(url).base_url == url


def test_each_tab_of_a_round_can_open_its_own_run():
    query = "n=100000&batch_size=1&epochs=20&lr=0.0001&seed={i}"
    assert [link(query, i) for i in (1, 20)] == [
        "n=100000&batch_size=1&epochs=20&lr=0.0001&seed=1",
        "n=100000&batch_size=1&epochs=20&lr=0.0001&seed=20",
    ]
    assert link("lr=0.1", 7) == "lr=0.1"


@pytest.mark.parametrize("replicas", [1, 2, 4])
def test_the_proxy_config_lists_as_many_replicas_as_asked_and_is_otherwise_deploys(
    tmp_path, replicas
):
    config = haproxy_config(replicas, tmp_path).read_text().splitlines()
    deployed = HAPROXY_CFG.read_text().splitlines()
    servers = [line for line in config if line.strip().startswith("server ")]
    assert servers == [
        f'    server app{k} "${{APP{k}-app{k}:8501}}" check cookie app{k}'
        for k in range(1, replicas + 1)
    ]
    assert [line for line in config if line not in servers] == [
        line for line in deployed if not line.strip().startswith("server ")
    ]
    assert haproxy_config(3, tmp_path) == HAPROXY_CFG  # three: deploy/haproxy.cfg itself


def test_a_link_may_name_its_page():
    assert split_link("conditioning?n=100000&steps=50") == (
        "conditioning",
        "?",
        "n=100000&steps=50",
    )
    assert split_link("/compare?runs=sgd:0.03:10") == ("compare", "?", "runs=sgd:0.03:10")
    assert split_link("lr=0.1")[::2] == ("", "lr=0.1") == split_link("?lr=0.1")[::2]


def test_tabs_served_in_the_order_of_their_places_count_as_in_order():
    def page(place, chart_s):
        return PageLoad(chart_s=chart_s, queued=place is not None, place=place)

    fair = [page(None, 1.0), page(1, 2.0), page(2, 3.0), page(3, 4.0)]
    assert in_queue_order(fair) == 1.0
    assert in_queue_order([page(1, 3.0), page(2, 2.0)]) == 0.0
