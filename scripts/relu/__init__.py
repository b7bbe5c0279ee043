"""The project's Python side: vocabulary, NumPy formulations, peers, the fair harness and Google Benchmark JSON."""
