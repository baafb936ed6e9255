# Sourced by the backup and certificate scripts: writes one gauge for node-exporter's textfile
# collector, so Prometheus sees when a backup last succeeded or when the certificate expires
# (prometheus/alerts/earshot.rules.yml). Does nothing when METRICS_TEXTFILE_DIR is unset.
#
#   write_textfile_metric <file-stem> <metric> <labels> <value> <help>
#   e.g. write_textfile_metric earshot_backup_database earshot_backup_last_success_timestamp_seconds 'kind="database"' "$(date +%s)" "…"
#
# The file is written under a temporary name and renamed, so the collector never reads half of it.
write_textfile_metric() {
  local stem="$1" metric="$2" labels="$3" value="$4" help="$5"
  [ -n "${METRICS_TEXTFILE_DIR:-}" ] || return 0
  mkdir -p "$METRICS_TEXTFILE_DIR" || { echo "cannot create METRICS_TEXTFILE_DIR $METRICS_TEXTFILE_DIR" >&2; return 1; }
  local tmp="$METRICS_TEXTFILE_DIR/.$stem.prom.$$"
  {
    echo "# HELP $metric $help"
    echo "# TYPE $metric gauge"
    echo "$metric{$labels} $value"
  } > "$tmp" && chmod 0644 "$tmp" && mv -f "$tmp" "$METRICS_TEXTFILE_DIR/$stem.prom"
}
