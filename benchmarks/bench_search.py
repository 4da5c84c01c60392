"""Search benchmark: segmentation throughput, reindex rate, query latency (see search/benchmark.py)."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from search.benchmark import main  # noqa: E402

if __name__ == "__main__":
    main(sys.argv[1:])
