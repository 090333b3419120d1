// Prometheus metrics of the daemon (prom-client, a registry of its own so tests and embedders do
// not share the global one). Names are part of the tool's contract: dashboards depend on them.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

export class DaemonMetrics {
  readonly registry = new Registry();
  readonly runs = new Counter({ name: "cognito_idp_sync_runs_total", help: "Reconcile runs by result (success, failure, invalid_config).", labelNames: ["result"], registers: [this.registry] });
  readonly skippedTicks = new Counter({ name: "cognito_idp_sync_ticks_skipped_total", help: "Scheduled ticks skipped, by reason (overlap, backoff).", labelNames: ["reason"], registers: [this.registry] });
  readonly runDuration = new Histogram({ name: "cognito_idp_sync_run_duration_seconds", help: "Duration of reconcile runs.", buckets: [0.1, 0.5, 1, 2, 5, 10, 30, 60, 120, 300], registers: [this.registry] });
  readonly drift = new Gauge({ name: "cognito_idp_sync_drift_changes", help: "Changes found by the last plan (before apply), by action.", labelNames: ["action"], registers: [this.registry] });
  readonly applied = new Counter({ name: "cognito_idp_sync_changes_applied_total", help: "Changes applied, by action and status.", labelNames: ["action", "status"], registers: [this.registry] });
  readonly apiCalls = new Counter({ name: "cognito_idp_sync_api_calls_total", help: "Cognito API calls by operation and outcome (ok or the error name).", labelNames: ["operation", "outcome"], registers: [this.registry] });
  readonly throttled = new Counter({ name: "cognito_idp_sync_throttled_calls_total", help: "Calls the service throttled (TooManyRequestsException).", labelNames: ["operation"], registers: [this.registry] });
  readonly retries = new Counter({ name: "cognito_idp_sync_retries_total", help: "Calls retried after a retryable error.", labelNames: ["operation"], registers: [this.registry] });
  readonly unmanaged = new Gauge({ name: "cognito_idp_sync_unmanaged_providers", help: "Live providers that no document declares (last plan).", registers: [this.registry] });
  readonly lastSuccess = new Gauge({ name: "cognito_idp_sync_last_success_timestamp_seconds", help: "When the last run succeeded.", registers: [this.registry] });
  readonly lastAttempt = new Gauge({ name: "cognito_idp_sync_last_attempt_timestamp_seconds", help: "When the last run started.", registers: [this.registry] });

  constructor(processMetrics = false) {
    if (processMetrics) collectDefaultMetrics({ register: this.registry, prefix: "cognito_idp_sync_" });
  }
}
