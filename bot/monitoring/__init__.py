"""Operations: Prometheus metrics, and the /healthz and /metrics endpoints."""
