#!/bin/sh
# netready-probe.sh - collect read-only network facts from a Kubernetes node
# and upload them to a netready server (or write them to a file).
#
# Usage: see `netready-probe.sh --help`.
#
# POSIX sh only (dash, busybox sh, bash). Needs coreutils, iproute2 (or
# net-tools) and curl. The probe never changes the node: it only runs
# commands that read state and reads files. Everything captured is
# base64-encoded in the JSON report, so no escaping is needed.
#
# All code lives in functions; the last line calls main, so a truncated
# download piped into sh does nothing.

PROBE_VERSION="0.1.0"
REPORT_FORMAT="netready.report/v1"

# ---------------------------------------------------------------- helpers

say() {
    if [ "$QUIET" -eq 0 ]; then
        printf 'netready: %s\n' "$*" >&2
    fi
}

warn() {
    printf 'netready: warning: %s\n' "$*" >&2
}

err() {
    printf 'netready: error: %s\n' "$*" >&2
}

have_cmd() {
    command -v "$1" >/dev/null 2>&1
}

need_cmd() {
    if ! have_cmd "$1"; then
        err "required command not found: $1"
        exit 1
    fi
}

usage() {
    cat <<EOF
netready-probe.sh $PROBE_VERSION - Kubernetes node network readiness probe

Usage:
  netready-probe.sh [--server URL] [--token TOKEN] [--role control-plane|worker]
                    [--phase preflight|running] [--output FILE|-] [--plan FILE]
                    [--quiet] [--help]

Options (also accepted as --flag=value):
  --server URL     netready server base URL        (env NETREADY_SERVER)
  --token TOKEN    upload token                    (env NETREADY_TOKEN)
  --role ROLE      control-plane or worker         (env NETREADY_ROLE, default worker)
  --phase PHASE    preflight or running            (env NETREADY_PHASE; default running
                   if /etc/kubernetes/kubelet.conf or /var/lib/kubelet/config.yaml
                   exists, else preflight)
  --output FILE    write the JSON report to FILE and upload nothing;
                   '-' writes it to stdout
  --plan FILE      try the peers of this reachability plan (netready.plan/v1
                   JSON, as GET SERVER/api/v1/plan?node=HOSTNAME answers) instead
                   of fetching the plan from the server; uploading, the probe
                   fetches it, and without a plan it tries no peers
  --quiet          print nothing but errors
  --help           show this help

Other environment variables:
  NETREADY_SECTION_LIMIT  max bytes of output kept per section (default 4194304)
  NETREADY_CMD_TIMEOUT    seconds each command may run (default 10)
  NETREADY_SPOOL_DIR      where a report that failed to upload is kept
                          (default /var/lib/netready/spool, else \${TMPDIR:-/tmp})

The probe only reads; it never changes the node. Without --output it needs
--server and --token and POSTs the report to SERVER/api/v1/reports.
Exit status: 0 ok, 1 upload or runtime failure, 2 usage error.
EOF
}

usage_error() {
    err "$1"
    usage >&2
    exit 2
}

# is_uint STRING: true if STRING is a non-empty run of decimal digits
is_uint() {
    case $1 in
        '' | *[!0-9]*) return 1 ;;
    esac
    return 0
}

# json_esc STRING: print STRING with backslash and double quote escaped.
# Only used for short strings we built ourselves (sources); everything
# captured from the node is base64-encoded instead.
json_esc() {
    _je_s=$1
    _je_r=
    while :; do
        case $_je_s in
            *[\\\"]*) ;;
            *) break ;;
        esac
        _je_pre=${_je_s%%[\\\"]*}
        _je_s=${_je_s#"$_je_pre"}
        _je_c=${_je_s%"${_je_s#?}"}
        _je_s=${_je_s#?}
        _je_r="$_je_r$_je_pre\\$_je_c"
    done
    printf '%s' "$_je_r$_je_s"
}

# now_ns: nanoseconds since the epoch if date supports %N, else empty
now_ns() {
    _nn=$(date +%s%N 2>/dev/null)
    case $_nn in
        '' | *[!0-9]*) _nn= ;;
    esac
    printf '%s' "$_nn"
}

make_uuid() {
    _mu=
    if [ -r /proc/sys/kernel/random/uuid ]; then
        _mu=$(cat /proc/sys/kernel/random/uuid 2>/dev/null)
    fi
    case $_mu in
        ????????-????-????-????-????????????) ;;
        *) _mu= ;;
    esac
    case $_mu in
        *[!0-9a-f-]*) _mu= ;;
    esac
    if [ -z "$_mu" ]; then
        # shellcheck disable=SC2046 # word splitting of od output is intended
        set -- $(od -An -tx1 -N16 /dev/urandom 2>/dev/null)
        if [ "$#" -eq 16 ]; then
            # RFC 4122 version 4 / variant bits
            _v7=$(printf '%02x' $(( (0x$7 & 0x0f) | 0x40 )))
            _v9=$(printf '%02x' $(( (0x$9 & 0x3f) | 0x80 )))
            _mu="$1$2$3$4-$5$6-$_v7$8-$_v9${10}-${11}${12}${13}${14}${15}${16}"
        else
            # last resort: not random, but unique enough per host and run
            _mu=$(printf '%08x-%04x-4%03x-8%03x-%012x' \
                "$(date +%s)" "$(( $$ & 0xffff ))" 0 0 "$$")
        fi
    fi
    printf '%s' "$_mu"
}

# ------------------------------------------------------ running commands
#
# Every collector fills these globals and then calls emit_section:
#   R_SOURCE  command line run or file read
#   R_STATUS  ok | error | missing | denied | absent | timeout
#   R_RC      exit code
# and leaves stdout in $W/out and stderr in $W/err.

setup_timeout() {
    T_KIND="none"
    if have_cmd timeout; then
        if timeout -k 2 "$CMD_TIMEOUT" true >/dev/null 2>&1; then
            T_KIND="kill"
        elif timeout "$CMD_TIMEOUT" true >/dev/null 2>&1; then
            T_KIND="plain"
        elif timeout -t "$CMD_TIMEOUT" true >/dev/null 2>&1; then
            T_KIND="old"
        fi
    fi
}

# needs_root CMD: commands that fail for lack of privilege, not lack of data
needs_root() {
    case $1 in
        iptables* | ip6tables* | nft | ufw | firewall-cmd) return 0 ;;
    esac
    return 1
}

reset_result() {
    : >"$W/out"
    : >"$W/err"
}

set_missing() {
    reset_result
    R_SOURCE=$1
    R_STATUS=missing
    R_RC=127
    printf '%s: command not found\n' "${1%% *}" >"$W/err"
}

set_absent() {
    reset_result
    R_SOURCE=$1
    R_STATUS=absent
    R_RC=1
    printf '%s: No such file or directory\n' "$2" >"$W/err"
}

set_denied() {
    reset_result
    R_SOURCE=$1
    R_STATUS=denied
    R_RC=1
    printf '%s: Permission denied\n' "$2" >"$W/err"
}

# run_cmd CMD ARGS...: run with a timeout, classify the result
run_cmd() {
    reset_result
    R_SOURCE="$*"
    if ! have_cmd "$1"; then
        set_missing "$R_SOURCE"
        return 0
    fi
    case $T_KIND in
        kill) timeout -k 2 "$CMD_TIMEOUT" "$@" </dev/null >"$W/out" 2>"$W/err" ;;
        plain) timeout "$CMD_TIMEOUT" "$@" </dev/null >"$W/out" 2>"$W/err" ;;
        old) timeout -t "$CMD_TIMEOUT" "$@" </dev/null >"$W/out" 2>"$W/err" ;;
        *) "$@" </dev/null >"$W/out" 2>"$W/err" ;;
    esac
    R_RC=$?
    classify "$1"
}

# classify CMD: set R_STATUS from R_RC
classify() {
    if [ "$R_RC" -eq 0 ]; then
        R_STATUS=ok
        return 0
    fi
    R_STATUS=error
    if [ "$T_KIND" != none ]; then
        case $R_RC in
            # 124: coreutils timeout; 137: killed after -k grace;
            # 143: busybox timeout (child got SIGTERM)
            124 | 137 | 143) R_STATUS=timeout; return 0 ;;
            127) R_STATUS=missing; return 0 ;;
        esac
    fi
    # firewall-cmd --state exits 252 when firewalld is simply not running
    if [ "$1" = firewall-cmd ] && [ "$R_RC" -eq 252 ]; then
        return 0
    fi
    if needs_root "$1" && [ "$UID_NUM" != 0 ]; then
        R_STATUS=denied
    elif needs_root "$1" || [ "$1" = cat ]; then
        # root without the capability (unprivileged container), or a file
        # blocked by an LSM although its mode bits allow reading
        _cl_e=$(head -c 4096 "$W/err" 2>/dev/null)
        case $_cl_e in
            *"ermission denied"* | *"peration not permitted"*) R_STATUS=denied ;;
        esac
    fi
}

# try_json CMD ARGS...: like run_cmd, but only "ok" if output looks like JSON
# (old iproute2 silently ignores -j for some objects). Returns 0 if usable.
try_json() {
    run_cmd "$@"
    [ "$R_STATUS" = ok ] || return 1
    _tj=$(head -c 1 "$W/out")
    [ "$_tj" = "[" ]
}

# fallback_note: remember why the first choice was not used
fallback_note() {
    {
        printf 'netready: "%s" exited %s (%s); using fallback\n' \
            "$R_SOURCE" "$R_RC" "$R_STATUS"
        head -c 300 "$W/err"
        printf '\n'
    } >>"$W/note"
}

# read_file PATH: cat a file with the same classification
read_file() {
    if [ ! -e "$1" ]; then
        set_absent "$1" "$1"
    elif [ ! -r "$1" ]; then
        set_denied "$1" "$1"
    else
        run_cmd cat "$1"
        R_SOURCE=$1
    fi
}

# read_dir_cmd DIR CMD ARGS...: run a listing command on DIR, absent if missing
read_dir_cmd() {
    _rd=$1
    shift
    if [ ! -e "$_rd" ]; then
        set_absent "$*" "$_rd"
    elif [ ! -r "$_rd" ]; then
        set_denied "$*" "$_rd"
    else
        run_cmd "$@"
    fi
}

# emit_section NAME: append the current result as one JSON member
emit_section() {
    case $1 in
        [a-z0-9]*) ;;
        *) warn "internal: bad section name $1"; return 0 ;;
    esac
    case $1 in
        *[!a-z0-9._/-]*) warn "internal: bad section name $1"; return 0 ;;
    esac
    if [ -s "$W/note" ]; then
        cat "$W/err" >>"$W/note"
        mv "$W/note" "$W/err"
    fi
    rm -f "$W/note"
    _es_bytes=$(wc -c <"$W/out")
    _es_bytes=$(( _es_bytes + 0 ))
    if [ "$_es_bytes" -gt "$SECTION_LIMIT" ]; then
        _es_trunc=true
    else
        _es_trunc=false
    fi
    {
        if [ "$NSECTIONS" -gt 0 ]; then
            printf ',\n'
        fi
        printf '    "%s": {"source": "%s", "status": "%s", "exitCode": %d, "encoding": "base64", ' \
            "$1" "$(json_esc "$R_SOURCE")" "$R_STATUS" "$R_RC"
        if [ -n "$R_SAME_AS" ]; then
            printf '"sameAs": "%s", ' "$R_SAME_AS"
        fi
        printf '"output": "'
        if [ -z "$R_SAME_AS" ]; then
            head -c "$SECTION_LIMIT" "$W/out" | base64 | tr -d '\n'
        fi
        printf '", "stderr": "'
        head -c 4096 "$W/err" | base64 | tr -d '\n'
        printf '", "bytes": %d, "truncated": %s}' "$_es_bytes" "$_es_trunc"
    } >>"$W/sections"
    NSECTIONS=$(( NSECTIONS + 1 ))
    R_SAME_AS=
}

# same_program A B: both commands exist and resolve to the same executable.
same_program() {
    _sp_a=$(command -v "$1" 2>/dev/null) || return 1
    _sp_b=$(command -v "$2" 2>/dev/null) || return 1
    _sp_a=$(readlink -f "$_sp_a" 2>/dev/null) || return 1
    _sp_b=$(readlink -f "$_sp_b" 2>/dev/null) || return 1
    [ -n "$_sp_a" ] && [ "$_sp_a" = "$_sp_b" ]
}

# ------------------------------------------------------------ collectors

collect_identity() {
    if have_cmd hostname; then
        run_cmd hostname
    else
        run_cmd uname -n
    fi
    emit_section hostname
    read_file /etc/machine-id
    emit_section machine-id
    read_file /sys/class/dmi/id/product_uuid
    emit_section product-uuid
    run_cmd uname -r
    emit_section kernel
    read_file /etc/os-release
    emit_section os-release
}

collect_interfaces() {
    if have_cmd ip; then
        if ! try_json ip -j -d link show && [ "$R_STATUS" != timeout ]; then
            fallback_note
            run_cmd ip -d link show
            # busybox ip has no -d
            if [ "$R_STATUS" != ok ] && [ "$R_STATUS" != timeout ]; then
                fallback_note
                run_cmd ip link show
            fi
        fi
    elif have_cmd ifconfig; then
        run_cmd ifconfig -a
    else
        set_missing "ip -j -d link show"
    fi
    emit_section links

    if have_cmd ip; then
        if ! try_json ip -j addr show && [ "$R_STATUS" != timeout ]; then
            fallback_note
            run_cmd ip addr show
        fi
    elif have_cmd ifconfig; then
        run_cmd ifconfig -a
    else
        set_missing "ip -j addr show"
    fi
    emit_section addresses

    if have_cmd ip; then
        if ! try_json ip -j route show && [ "$R_STATUS" != timeout ]; then
            fallback_note
            run_cmd ip route show
        fi
    elif have_cmd route; then
        run_cmd route -n
        if [ "$R_STATUS" != ok ] && [ "$R_STATUS" != timeout ] && have_cmd netstat; then
            fallback_note
            run_cmd netstat -rn
        fi
    elif have_cmd netstat; then
        run_cmd netstat -rn
    else
        set_missing "ip -j route show"
    fi
    emit_section routes

    if have_cmd ip; then
        if ! try_json ip -j -6 route show && [ "$R_STATUS" != timeout ]; then
            fallback_note
            run_cmd ip -6 route show
        fi
    else
        set_missing "ip -j -6 route show"
    fi
    emit_section routes6

    if have_cmd ip; then
        run_cmd ip neigh show
        if [ "$R_STATUS" != ok ] && [ "$R_STATUS" != timeout ] && have_cmd arp; then
            fallback_note
            run_cmd arp -an
        fi
    elif have_cmd arp; then
        run_cmd arp -an
    else
        set_missing "ip neigh show"
    fi
    emit_section neighbours
}

# run_netstat_listeners: netstat -plntu, or -lntu where -p is unsupported (busybox)
run_netstat_listeners() {
    run_cmd netstat -plntu
    if [ "$R_STATUS" != ok ] && [ "$R_STATUS" != timeout ]; then
        fallback_note
        run_cmd netstat -lntu
    fi
}

collect_sockets() {
    if have_cmd ss; then
        run_cmd ss -Htlnup
        if [ "$R_STATUS" != ok ] && [ "$R_STATUS" != timeout ] && have_cmd netstat; then
            fallback_note
            run_netstat_listeners
        fi
    elif have_cmd netstat; then
        run_netstat_listeners
    else
        set_missing "ss -Htlnup"
    fi
    emit_section listeners
}

# sysctl_safe_name NAME: interface names we may hand to the sysctl command.
# Anything else (e.g. containing '=', which sysctl would treat as a WRITE,
# or glob characters) is read from /proc directly.
sysctl_safe_name() {
    case $1 in
        '' | *[!A-Za-z0-9_.@+-]*) return 1 ;;
    esac
    return 0
}

# dots_to_slashes NAME: eth0.100 -> eth0/100 (sysctl key syntax)
dots_to_slashes() {
    _ds_s=$1
    _ds_r=
    while :; do
        case $_ds_s in
            *.*) ;;
            *) break ;;
        esac
        _ds_r="$_ds_r${_ds_s%%.*}/"
        _ds_s=${_ds_s#*.}
    done
    printf '%s' "$_ds_r$_ds_s"
}

# sysctl_key_path KEY: /proc/sys path for a plain key without '/' in it
sysctl_key_path() {
    _kp_s=$1
    _kp_r=/proc/sys
    while :; do
        case $_kp_s in
            *.*) ;;
            *) break ;;
        esac
        _kp_r="$_kp_r/${_kp_s%%.*}"
        _kp_s=${_kp_s#*.}
    done
    printf '%s' "$_kp_r/$_kp_s"
}

# sysctl_manual KEY PATH: print "key = value" like sysctl does, errors to stderr
sysctl_manual() {
    if [ ! -e "$2" ]; then
        printf 'sysctl: cannot stat %s: No such file or directory\n' "$2" >&2
        return 1
    fi
    if _sm_v=$(cat "$2" 2>/dev/null); then
        printf '%s = %s\n' "$1" "$_sm_v"
    else
        printf 'sysctl: permission denied on key "%s"\n' "$1" >&2
        return 1
    fi
}

collect_sysctl() {
    reset_result
    rm -f "$W/sysctl.weird"
    set -- net.ipv4.ip_forward net.ipv6.conf.all.forwarding \
        net.ipv6.conf.default.forwarding net.bridge.bridge-nf-call-iptables \
        net.bridge.bridge-nf-call-ip6tables net.ipv4.conf.all.rp_filter \
        net.ipv4.conf.default.rp_filter
    for _cs_d in /proc/sys/net/ipv4/conf/*; do
        [ -d "$_cs_d" ] || continue
        _cs_if=${_cs_d##*/}
        case $_cs_if in
            all | default) continue ;;
        esac
        if sysctl_safe_name "$_cs_if"; then
            set -- "$@" "net.ipv4.conf.$(dots_to_slashes "$_cs_if").rp_filter"
        else
            # remember for a direct read; names cannot contain newlines
            printf 'ipv4 rp_filter %s\n' "$_cs_if" >>"$W/sysctl.weird"
        fi
    done
    set -- "$@" net.ipv4.conf.all.arp_ignore net.ipv4.conf.all.arp_filter \
        net.ipv4.conf.all.arp_announce net.netfilter.nf_conntrack_max \
        net.netfilter.nf_conntrack_count net.ipv4.ip_local_port_range \
        net.ipv6.conf.all.disable_ipv6 net.ipv4.tcp_syncookies
    # router advertisements: with forwarding on, an interface ignores them unless accept_ra=2
    for _cs_d in /proc/sys/net/ipv6/conf/*; do
        [ -d "$_cs_d" ] || continue
        _cs_if=${_cs_d##*/}
        if sysctl_safe_name "$_cs_if"; then
            set -- "$@" "net.ipv6.conf.$(dots_to_slashes "$_cs_if").accept_ra"
        else
            printf 'ipv6 accept_ra %s\n' "$_cs_if" >>"$W/sysctl.weird"
        fi
    done

    if have_cmd sysctl; then
        run_cmd sysctl "$@"
    else
        R_RC=0
        for _cs_k in "$@"; do
            case $_cs_k in
                net.ipv4.conf.*/*.rp_filter | net.ipv6.conf.*/*.accept_ra)
                    # dotted interface name: real name has dots
                    _cs_fam=${_cs_k#net.}
                    _cs_fam=${_cs_fam%%.*}
                    _cs_leaf=${_cs_k##*.}
                    _cs_if=${_cs_k#net."$_cs_fam".conf.}
                    _cs_if=${_cs_if%."$_cs_leaf"}
                    _cs_real=
                    while :; do
                        case $_cs_if in
                            */*) ;;
                            *) break ;;
                        esac
                        _cs_real="$_cs_real${_cs_if%%/*}."
                        _cs_if=${_cs_if#*/}
                    done
                    _cs_p="/proc/sys/net/$_cs_fam/conf/$_cs_real$_cs_if/$_cs_leaf"
                    ;;
                *) _cs_p=$(sysctl_key_path "$_cs_k") ;;
            esac
            # like procps sysctl: exit status counts the failed keys
            sysctl_manual "$_cs_k" "$_cs_p" >>"$W/out" 2>>"$W/err" || R_RC=$(( R_RC + 1 ))
        done
        [ "$R_RC" -le 255 ] || R_RC=255
        classify sysctl
    fi
    if [ -s "$W/sysctl.weird" ]; then
        while IFS= read -r _cs_if; do
            _cs_fam=${_cs_if%% *}
            _cs_if=${_cs_if#* }
            _cs_leaf=${_cs_if%% *}
            _cs_if=${_cs_if#* }
            sysctl_manual "net.$_cs_fam.conf.$(dots_to_slashes "$_cs_if").$_cs_leaf" \
                "/proc/sys/net/$_cs_fam/conf/$_cs_if/$_cs_leaf" >>"$W/out" 2>>"$W/err"
        done <"$W/sysctl.weird"
        rm -f "$W/sysctl.weird"
    fi
    R_SOURCE=sysctl
    emit_section sysctl
}

collect_modules() {
    read_file /proc/modules
    emit_section modules
    # filesystems the kernel knows (built in or loaded): overlay shows up here
    # even on a kernel without module support, where /proc/modules is absent
    read_file /proc/filesystems
    emit_section filesystems
}

# drop_save_stamps: iptables-save frames each table with "# Generated by ...
# on <time>" and "# Completed on <time>". Only the time changes from run to
# run; without those lines an unchanged firewall sends the same bytes every
# time, which the portal stores once. (The version is the iptables-version
# section.) Kept as it was if grep fails.
drop_save_stamps() {
    [ -s "$W/out" ] || return 0
    grep -Ev '^# (Generated by |Completed on )' "$W/out" >"$W/out.unstamped"
    case $? in
        0 | 1) mv -f "$W/out.unstamped" "$W/out" ;;
        *) rm -f "$W/out.unstamped" ;;
    esac
}

collect_firewall() {
    run_cmd iptables-save
    _fw_status=$R_STATUS
    _fw_rc=$R_RC
    drop_save_stamps
    emit_section iptables
    run_cmd ip6tables-save
    drop_save_stamps
    emit_section ip6tables
    run_cmd iptables-legacy-save
    drop_save_stamps
    emit_section iptables-legacy
    if same_program iptables-save iptables-nft-save; then
        # The same binary (xtables-nft-multi): its output is the iptables section's, and so is its status (denied to
        # a non-root run, never an empty "ok"). Not run twice, not sent twice.
        reset_result
        R_SOURCE="iptables-nft-save"
        R_STATUS=$_fw_status
        R_RC=$_fw_rc
        R_SAME_AS=iptables
    else
        run_cmd iptables-nft-save
        drop_save_stamps
    fi
    emit_section iptables-nft
    run_cmd iptables --version
    emit_section iptables-version
    run_cmd nft list ruleset
    emit_section nftables

    run_cmd firewall-cmd --state
    _cf_state=$R_STATUS
    _cf_out=$(head -c 64 "$W/out")
    emit_section firewalld
    if [ "$_cf_state" = missing ]; then
        set_missing "firewall-cmd --list-all"
    elif [ "$_cf_state" = ok ] && [ "$_cf_out" = running ]; then
        run_cmd firewall-cmd --list-all
    else
        # installed but not running (or state unknown): not run
        reset_result
        R_SOURCE="firewall-cmd --list-all"
        R_STATUS=missing
        R_RC=127
        printf 'not run: firewalld is not running (firewall-cmd --state: %s)\n' \
            "$_cf_state" >"$W/err"
    fi
    emit_section firewalld-zone

    run_cmd ufw status verbose
    emit_section ufw
}

collect_dns() {
    read_file /etc/resolv.conf
    emit_section resolv-conf
    read_file /run/systemd/resolve/resolv.conf
    emit_section resolv-conf-systemd
    read_file /etc/hosts
    emit_section hosts
    read_file /etc/nsswitch.conf
    emit_section nsswitch
}

collect_cni() {
    _cc_dir=/etc/cni/net.d
    : >"$W/cni.ok"
    if [ -d "$_cc_dir" ] && [ -r "$_cc_dir" ]; then
        # skipped files are collected in "$@" (their names may hold newlines)
        set --
        for _cc_f in "$_cc_dir"/* "$_cc_dir"/.[!.]* "$_cc_dir"/..?*; do
            [ -f "$_cc_f" ] || continue
            _cc_n=${_cc_f##*/}
            case $_cc_n in
                *[!A-Za-z0-9._-]*) set -- "$@" "$_cc_f" ;;
                *) printf '%s\n' "$_cc_n" >>"$W/cni.ok" ;;
            esac
        done
        sort "$W/cni.ok" >"$W/cni.sorted"
        while IFS= read -r _cc_n; do
            # section names are lowercase; the source keeps the real name
            _cc_s=$(printf '%s' "$_cc_n" | tr '[:upper:]' '[:lower:]')
            if [ "$_cc_s" != "$_cc_n" ] && [ -f "$_cc_dir/$_cc_s" ]; then
                # would collide with a file whose name is already lowercase
                set -- "$@" "$_cc_dir/$_cc_n"
                continue
            fi
            read_file "$_cc_dir/$_cc_n"
            emit_section "cni-config/$_cc_s"
        done <"$W/cni.sorted"
        if [ "$#" -gt 0 ]; then
            # ls -b prints odd characters (even newlines) as C escapes
            run_cmd ls -1bd -- "$@"
            if [ "$R_STATUS" != ok ]; then
                # busybox ls has no -b: plain list (a newline in a name stays ambiguous)
                reset_result
                printf '%s\n' "$@" >"$W/out"
                R_STATUS=ok
                R_RC=0
            fi
            R_SOURCE=$_cc_dir
            printf 'files not collected: names outside [A-Za-z0-9._-] (or clashing when lowercased)\n' >>"$W/err"
            emit_section cni-config-skipped
        fi
    fi
    read_dir_cmd "$_cc_dir" ls -la "$_cc_dir"
    emit_section cni-config-dir
    read_dir_cmd /opt/cni/bin ls -l /opt/cni/bin
    emit_section cni-bin
}

collect_swap() {
    read_file /proc/swaps
    emit_section swaps
}

# mask_url VALUE: scheme://user:pass@host -> scheme://***@host
mask_url() {
    _mu_v=$1
    case $_mu_v in
        *://*@*)
            _mu_scheme=${_mu_v%%://*}
            _mu_rest=${_mu_v#*://}
            printf '%s://***@%s' "$_mu_scheme" "${_mu_rest##*@}"
            ;;
        *@*) printf '***@%s' "${_mu_v##*@}" ;;
        *) printf '%s' "$_mu_v" ;;
    esac
}

collect_proxy() {
    reset_result
    for _cp_n in http_proxy HTTP_PROXY https_proxy HTTPS_PROXY no_proxy NO_PROXY \
        all_proxy ALL_PROXY; do
        _cp_set=
        _cp_v=
        eval "_cp_set=\${$_cp_n+set}"
        if [ "$_cp_set" = set ]; then
            eval "_cp_v=\$$_cp_n"
            printf '%s=%s\n' "$_cp_n" "$(mask_url "$_cp_v")" >>"$W/out"
        fi
    done
    R_SOURCE=environment
    R_STATUS=ok
    R_RC=0
    emit_section proxy-env
}

# proxy_unquote VALUE: VALUE without the quotes around it
proxy_unquote() {
    _pq_v=$1
    case $_pq_v in
        \"*\") _pq_v=${_pq_v#\"}; _pq_v=${_pq_v%\"} ;;
        \'*\') _pq_v=${_pq_v#\'}; _pq_v=${_pq_v%\'} ;;
    esac
    printf '%s' "$_pq_v"
}

# proxy_assignments COMPONENT FILE KIND: the proxy variables FILE sets, one line each,
# "COMPONENT<tab>FILE<tab>NAME=VALUE" with credentials masked. KIND unit: systemd
# Environment= and DefaultEnvironment= lines; env: NAME=VALUE and export NAME=VALUE lines.
# Only proxy variables leave the node; nothing else of the file is sent.
proxy_assignments() {
    _px_c=$1
    _px_f=$2
    _px_k=$3
    [ -f "$_px_f" ] && [ -r "$_px_f" ] || return 0
    while IFS= read -r _px_line || [ -n "$_px_line" ]; do
        _px_line=${_px_line#"${_px_line%%[![:space:]]*}"}
        case $_px_line in
            '#'* | ';'* | '') continue ;;
            Environment=* | DefaultEnvironment=*)
                [ "$_px_k" = unit ] || continue
                _px_line=${_px_line#*=}
                ;;
            export[[:space:]]*)
                [ "$_px_k" = env ] || continue
                _px_line=${_px_line#export}
                ;;
            *) [ "$_px_k" = env ] || continue ;;
        esac
        set -f
        # shellcheck disable=SC2086 # split into the line's assignments
        set -- $_px_line
        set +f
        for _px_w in "$@"; do
            _px_w=$(proxy_unquote "$_px_w")
            case $_px_w in
                *=*) ;;
                *) continue ;;
            esac
            case ${_px_w%%=*} in
                http_proxy | HTTP_PROXY | https_proxy | HTTPS_PROXY | no_proxy | NO_PROXY | all_proxy | ALL_PROXY) ;;
                *) continue ;;
            esac
            printf '%s\t%s\t%s=%s\n' "$_px_c" "$_px_f" "${_px_w%%=*}" \
                "$(mask_url "$(proxy_unquote "${_px_w#*=}")")" >>"$W/out"
        done
    done <"$_px_f"
}

# safe_file_name NAME: file names we put in a report line as they are
safe_file_name() {
    case ${1##*/} in
        '' | *[!A-Za-z0-9._@-]*) return 1 ;;
    esac
    return 0
}

# collect_proxy_config: the proxy variables the kubelet, the container runtime, every
# systemd service and login shells get from their configuration files (read-only;
# credentials in proxy URLs masked like proxy-env). Drop-in files are read in name order.
collect_proxy_config() {
    reset_result
    for _pc_c in kubelet containerd crio docker; do
        proxy_assignments "$_pc_c" "/etc/systemd/system/$_pc_c.service" unit
        for _pc_d in /usr/lib/systemd/system /lib/systemd/system /run/systemd/system /etc/systemd/system; do
            for _pc_f in "$_pc_d/$_pc_c.service.d"/*.conf; do
                [ -f "$_pc_f" ] || continue
                safe_file_name "$_pc_f" || continue
                proxy_assignments "$_pc_c" "$_pc_f" unit
            done
        done
        proxy_assignments "$_pc_c" "/etc/default/$_pc_c" env
        proxy_assignments "$_pc_c" "/etc/sysconfig/$_pc_c" env
    done
    proxy_assignments systemd /etc/systemd/system.conf unit
    for _pc_f in /etc/systemd/system.conf.d/*.conf; do
        [ -f "$_pc_f" ] || continue
        safe_file_name "$_pc_f" || continue
        proxy_assignments systemd "$_pc_f" unit
    done
    proxy_assignments login /etc/environment env
    for _pc_f in /etc/profile.d/*.sh; do
        [ -f "$_pc_f" ] || continue
        safe_file_name "$_pc_f" || continue
        proxy_assignments login "$_pc_f" env
    done
    R_SOURCE="proxy variables of the kubelet, containerd, crio and docker units and drop-ins, /etc/default, /etc/sysconfig, systemd's DefaultEnvironment, /etc/environment, /etc/profile.d"
    R_STATUS=ok
    R_RC=0
    emit_section proxy-config
}

# collect_tools: where the commands the kubelet and kube-proxy run are found on PATH
# (kubeadm's InPath checks); an empty value: not found.
collect_tools() {
    reset_result
    printf 'PATH=%s\n' "$PATH" >>"$W/out"
    for _ct_t in conntrack ip iptables mount nsenter ethtool tc socat; do
        _ct_p=$(command -v "$_ct_t" 2>/dev/null) || _ct_p=
        printf '%s=%s\n' "$_ct_t" "$_ct_p" >>"$W/out"
    done
    R_SOURCE="command -v conntrack ip iptables mount nsenter ethtool tc socat"
    R_STATUS=ok
    R_RC=0
    emit_section node-tools
}

# collect_time: whether the clock is synchronised, as the node's own time services say
collect_time() {
    run_cmd timedatectl show
    if [ "$R_STATUS" = error ]; then
        # systemd before 239 has no "show"
        fallback_note
        run_cmd timedatectl status
    fi
    emit_section timedatectl
    run_cmd chronyc -n tracking
    emit_section chrony-tracking
    run_cmd ntpq -pn
    emit_section ntpq-peers
    read_file /run/systemd/timesync/synchronized
    emit_section timesync-synchronized
}

collect_kubelet() {
    # Never read kubeconfigs or anything else holding credentials.
    read_file /var/lib/kubelet/config.yaml
    emit_section kubelet-config
    read_file /var/lib/kubelet/kubeadm-flags.env
    emit_section kubelet-flags
}

# collect_cluster_cidrs: what names the cluster's pod and Service CIDRs, as values only.
# The static pod manifests name key files and flannel's net-conf may hold an IPsec or
# WireGuard PSK: sed keeps just the flags' (or fields') values, restricted to the
# characters of a CIDR list, never a whole file.
collect_cluster_cidrs() {
    _ccc_cidr='\([0-9A-Fa-f.:/,]*\)'
    _ccc_m=/etc/kubernetes/manifests/kube-controller-manager.yaml
    read_dir_cmd "$_ccc_m" sed -n -e h \
        -e "s|.*--cluster-cidr=$_ccc_cidr.*|cluster-cidr=\\1|p" -e g \
        -e "s|.*--service-cluster-ip-range=$_ccc_cidr.*|service-cluster-ip-range=\\1|p" "$_ccc_m"
    emit_section cluster-cidrs/kube-controller-manager
    _ccc_m=/etc/kubernetes/manifests/kube-apiserver.yaml
    read_dir_cmd "$_ccc_m" sed -n \
        -e "s|.*--service-cluster-ip-range=$_ccc_cidr.*|service-cluster-ip-range=\\1|p" "$_ccc_m"
    emit_section cluster-cidrs/kube-apiserver
    _ccc_m=/run/flannel/subnet.env
    read_dir_cmd "$_ccc_m" sed -n \
        -e "s|^\(FLANNEL_[A-Z0-9_]*NETWORK\)=$_ccc_cidr\$|\\1=\\2|p" \
        -e "s|^\(FLANNEL_[A-Z0-9_]*SUBNET\)=$_ccc_cidr\$|\\1=\\2|p" "$_ccc_m"
    emit_section cluster-cidrs/flannel-subnet-env
    _ccc_m=/etc/kube-flannel/net-conf.json
    read_dir_cmd "$_ccc_m" sed -n -e h \
        -e "s|.*\"Network\"[[:space:]]*:[[:space:]]*\"$_ccc_cidr\".*|Network=\\1|p" -e g \
        -e "s|.*\"IPv6Network\"[[:space:]]*:[[:space:]]*\"$_ccc_cidr\".*|IPv6Network=\\1|p" "$_ccc_m"
    emit_section cluster-cidrs/flannel-net-conf
}

# ---------------------------------------------------------- reachability
#
# The portal's plan names peers (their own node IPs) and catalog ports; the probe tries a TCP connect to each, at
# most REACH_MAX, REACH_PARALLEL at a time, each bounded by curl's --connect-timeout and --max-time, and reports what
# happened: connected, refused (a reset: the path is open, nothing listens), timeout (dropped on the way),
# unreachable (ICMP host/net unreachable or admin-prohibited), error (anything else, e.g. the node's own firewall
# refusing to send). A connect only opens and closes a connection; the probe still changes nothing on the node.

REACH_MAX=64
REACH_PARALLEL=16
# what the waves of connects may wait in all (ms): with the forks of curl, the step stays under 5 s
REACH_BUDGET_MS=3500

# plan_hostname: the hostname the plan is asked for, the same the report's hostname section shows
plan_hostname() {
    if have_cmd hostname; then
        hostname 2>/dev/null
    else
        uname -n 2>/dev/null
    fi
}

# fetch_plan: GET the node's plan into $W/plan.json and set PLAN_FILE; an older portal (404) or any failure means
# no plan, and the report simply has no reachability sections.
fetch_plan() {
    have_cmd curl || return 0
    # the plan's time counts against the 120 s the upload may take in all (see upload)
    PORTAL_SINCE=$(date +%s)
    _fp_host=$(plan_hostname)
    case $_fp_host in
        '' | *[!A-Za-z0-9._-]*)
            warn "no reachability plan: the hostname '$_fp_host' cannot be asked for"
            return 0 ;;
    esac
    (umask 077 && printf 'Authorization: Bearer %s\n' "$TOKEN" >"$W/auth.hdr") || return 0
    if curl_supports_header_file; then
        set -- -H "@$W/auth.hdr"
    else
        (umask 077 && printf 'header = "Authorization: Bearer %s"\n' "$TOKEN" >"$W/auth.cfg")
        set -- -K "$W/auth.cfg"
    fi
    _fp_code=$(curl --silent --show-error --location --connect-timeout 5 --max-time 10 --max-filesize 1048576 \
        "$@" -H "Accept: application/json" -o "$W/plan.json" -w '%{http_code}' \
        "$SERVER/api/v1/plan?node=$_fp_host" 2>"$W/plan.err")
    _fp_rc=$?
    rm -f "$W/auth.hdr" "$W/auth.cfg"
    if [ "$_fp_rc" -eq 0 ] && [ "$_fp_code" = 200 ]; then
        PLAN_FILE="$W/plan.json"
    elif [ "$_fp_rc" -eq 0 ] && [ "$_fp_code" = 404 ]; then
        say "the portal has no reachability plans (an older portal): no reachability sections"
    else
        warn "no reachability plan (HTTP ${_fp_code:-none}, curl exit $_fp_rc): no reachability sections"
    fi
}

# json_string_after LINE KEY: the string value of "KEY" in LINE, empty if none (builtins only: no fork per line)
json_string_after() {
    case $1 in
        *"\"$2\""*) ;;
        *) return 0 ;;
    esac
    _js=${1#*\""$2"\"}
    _js=${_js#*\"}
    printf '%s' "${_js%%\"*}"
}

# is_ipv4 ADDR: four decimal octets 0-255
is_ipv4() {
    case $1 in
        '' | *[!0-9.]* | .* | *. | *..*) return 1 ;;
    esac
    _i4_old=$IFS
    IFS=.
    # shellcheck disable=SC2086 # split at the dots on purpose
    set -- $1
    IFS=$_i4_old
    [ "$#" -eq 4 ] || return 1
    for _i4 in "$@"; do
        if [ "${#_i4}" -gt 3 ] || [ "$_i4" -gt 255 ]; then
            return 1
        fi
    done
    return 0
}

# is_ipv6 ADDR: hex groups and colons only (at least two), at most 39 characters
is_ipv6() {
    case $1 in
        '' | *[!0-9A-Fa-f:]* | *:::*) return 1 ;;
        *:*:*) ;;
        *) return 1 ;;
    esac
    [ "${#1}" -le 39 ]
}

# read_plan FILE: the plan's TCP targets as "ADDR PORT" lines in $W/targets; anything not an IP literal, a port
# 1-65535 or tcp is skipped with a warning, and so is everything beyond REACH_MAX. Each object of the JSON starts a
# line (split at "{"): a port's keys may come in any order; a target's address must come before its ports.
read_plan() {
    : >"$W/targets"
    REACH_COUNT=0
    REACH_TIMEOUT_MS=1000
    _rp_state=before
    _rp_addr=
    _rp_over=0
    tr -d '\r\n' <"$1" | tr '{' '\n' >"$W/plan.lines"
    while IFS= read -r _rp_l || [ -n "$_rp_l" ]; do
        _rp_v=$(json_number_after "$_rp_l" connectTimeoutMs)
        if is_uint "$_rp_v" && [ "${#_rp_v}" -le 6 ]; then
            REACH_TIMEOUT_MS=$_rp_v
        fi
        if [ "$_rp_state" = targets ]; then
            case $_rp_l in
                *'"ports"'*)
                    # a target: its address comes before its ports, as the portal writes it
                    _rp_addr=$(json_string_after "$_rp_l" address)
                    if [ -z "$_rp_addr" ]; then
                        warn "plan: skipping a target with no address before its ports"
                    elif ! is_ipv4 "$_rp_addr" && ! is_ipv6 "$_rp_addr"; then
                        warn "plan: skipping target address '$_rp_addr' (not an IPv4 or IPv6 literal)"
                        _rp_addr=
                    fi ;;
                *'"port"'*)
                    _rp_port=$(json_number_after "$_rp_l" port)
                    _rp_proto=$(json_string_after "$_rp_l" protocol)
                    if [ -z "$_rp_addr" ]; then
                        :
                    elif ! is_uint "$_rp_port" || [ "${#_rp_port}" -gt 5 ] || [ "$_rp_port" -lt 1 ] \
                        || [ "$_rp_port" -gt 65535 ]; then
                        warn "plan: skipping port '$_rp_port' of $_rp_addr (not 1-65535)"
                    elif [ "$_rp_proto" != tcp ]; then
                        warn "plan: skipping $_rp_addr port $_rp_port: protocol '$_rp_proto' (only tcp is tried)"
                    elif [ "$REACH_COUNT" -ge "$REACH_MAX" ]; then
                        _rp_over=$(( _rp_over + 1 ))
                    else
                        printf '%s %s\n' "$_rp_addr" "$_rp_port" >>"$W/targets"
                        REACH_COUNT=$(( REACH_COUNT + 1 ))
                    fi ;;
            esac
        fi
        if [ "$_rp_state" = withheld ]; then
            _rp_v=$(json_number_after "$_rp_l" peers)
            if is_uint "$_rp_v" && [ "${#_rp_v}" -le 6 ]; then
                warn "plan: $_rp_v peer(s) left out: the portal cannot vouch for their addresses (set the cluster's node networks if nodes upload through NAT or a proxy)"
            fi
            _rp_state=after
        fi
        # a key opens its array (or object) at the end of the line that ends the object before it
        case $_rp_l in
            *'"untested"'*) _rp_state=after ;;
        esac
        case $_rp_l in
            *'"withheld"'*) _rp_state=withheld ;;
        esac
        case $_rp_l in
            *'"targets"'*) _rp_state=targets ;;
        esac
    done <"$W/plan.lines"
    if [ "$_rp_over" -gt 0 ]; then
        warn "plan: $_rp_over more targets than the $REACH_MAX tried; skipped"
    fi
    [ "$REACH_TIMEOUT_MS" -ge 100 ] || REACH_TIMEOUT_MS=100
    [ "$REACH_TIMEOUT_MS" -le 1000 ] || REACH_TIMEOUT_MS=1000
}

# json_number_after LINE KEY: the digits of the number value of "KEY" in LINE, empty if none
json_number_after() {
    case $1 in
        *"\"$2\""*) ;;
        *) return 0 ;;
    esac
    _jn=${1#*\""$2"\"}
    _jn=${_jn#*:}
    _jn=${_jn#"${_jn%%[! ]*}"}
    printf '%s' "${_jn%%[!0-9]*}"
}

# connect_one I ADDR PORT SECONDS: one bounded TCP connect with curl, its outcome in $W/reach/I.*; no proxy, no
# curlrc: the connection goes straight to the peer.
connect_one() {
    case $2 in
        *:*) _co_url="http://[$2]:$3/" ;;
        *) _co_url="http://$2:$3/" ;;
    esac
    curl -q -v --silent --globoff --noproxy '*' --connect-timeout "$4" --max-time "$4" -o /dev/null \
        -w '%{time_connect} %{time_total}' "$_co_url" </dev/null >"$W/reach/$1.w" 2>"$W/reach/$1.err"
    echo "$?" >"$W/reach/$1.rc"
}

# reach_outcome I: connected, refused, timeout, unreachable or error; REACH_SECONDS the time it took
reach_outcome() {
    _ro_connect=
    _ro_total=
    _ro_rc=
    read -r _ro_connect _ro_total <"$W/reach/$1.w" 2>/dev/null
    read -r _ro_rc <"$W/reach/$1.rc" 2>/dev/null
    REACH_SECONDS=${_ro_total:-0}
    case $_ro_connect in
        '' | *[!0-9.]* | 0 | 0.0 | 0.00 | 0.000 | 0.0000 | 0.00000 | 0.000000) ;;
        *) REACH_SECONDS=$_ro_connect; REACH_OUTCOME=connected; return 0 ;;
    esac
    case $_ro_rc in
        28) REACH_OUTCOME=timeout; return 0 ;;
        7)
            if grep -q 'Connection refused' "$W/reach/$1.err" 2>/dev/null; then
                REACH_OUTCOME=refused
            elif grep -q -e 'No route to host' -e 'Network is unreachable' -e 'Host is unreachable' \
                "$W/reach/$1.err" 2>/dev/null; then
                REACH_OUTCOME=unreachable
            else
                REACH_OUTCOME=error
            fi
            return 0 ;;
    esac
    REACH_OUTCOME=error
}

# collect_reachability: with a plan, the sections reachability (outcomes only: unchanged outcomes, same bytes) and
# reachability-times (each outcome with the seconds it took); without one, neither section.
collect_reachability() {
    [ -n "$PLAN_FILE" ] || return 0
    if ! have_cmd curl; then
        warn "no reachability: curl is not installed"
        return 0
    fi
    reset_result
    read_plan "$PLAN_FILE" 2>>"$W/err"
    cat "$W/err" >&2
    mkdir -p "$W/reach"
    _cr_waves=$(( (REACH_COUNT + REACH_PARALLEL - 1) / REACH_PARALLEL ))
    if [ "$_cr_waves" -gt 0 ] && [ $(( REACH_TIMEOUT_MS * _cr_waves )) -gt "$REACH_BUDGET_MS" ]; then
        REACH_TIMEOUT_MS=$(( REACH_BUDGET_MS / _cr_waves ))
    fi
    _cr_secs=$(printf '%d.%03d' $(( REACH_TIMEOUT_MS / 1000 )) $(( REACH_TIMEOUT_MS % 1000 )))
    say "trying $REACH_COUNT connections of the reachability plan ($REACH_PARALLEL at a time, ${_cr_secs} s each)"
    _cr_i=0
    while read -r _cr_addr _cr_port; do
        _cr_i=$(( _cr_i + 1 ))
        connect_one "$_cr_i" "$_cr_addr" "$_cr_port" "$_cr_secs" &
        if [ $(( _cr_i % REACH_PARALLEL )) -eq 0 ]; then
            wait
        fi
    done <"$W/targets"
    wait
    _cr_i=0
    : >"$W/reach/outcomes"
    : >"$W/reach/times"
    while read -r _cr_addr _cr_port; do
        _cr_i=$(( _cr_i + 1 ))
        reach_outcome "$_cr_i"
        printf 'tcp %s %s %s\n' "$_cr_addr" "$_cr_port" "$REACH_OUTCOME" >>"$W/reach/outcomes"
        printf 'tcp %s %s %s %s\n' "$_cr_addr" "$_cr_port" "$REACH_OUTCOME" "$REACH_SECONDS" >>"$W/reach/times"
    done <"$W/targets"
    cp "$W/err" "$W/reach/warnings"
    R_SOURCE="curl TCP connect to each target of the plan ($REACH_PARALLEL at a time, at most $REACH_MAX, at most ${_cr_secs} s each)"
    R_STATUS=ok
    R_RC=0
    sort "$W/reach/outcomes" >"$W/out"
    emit_section reachability
    cp "$W/reach/warnings" "$W/err"
    sort "$W/reach/times" >"$W/out"
    emit_section reachability-times
}

# --------------------------------------------------------------- report

write_report() {
    _wr_end=$(now_ns)
    if [ -n "$START_NS" ] && [ -n "$_wr_end" ]; then
        _wr_ms=$(( (_wr_end - START_NS) / 1000000 ))
    else
        _wr_ms=$(( ($(date +%s) - START_S) * 1000 ))
    fi
    {
        printf '{\n'
        printf '  "format": "%s",\n' "$REPORT_FORMAT"
        printf '  "reportId": "%s",\n' "$REPORT_ID"
        printf '  "collectedAt": "%s",\n' "$COLLECTED_AT"
        printf '  "probe": {"version": "%s", "uid": %d, "durationMs": %d},\n' \
            "$PROBE_VERSION" "$UID_NUM" "$_wr_ms"
        printf '  "role": "%s",\n' "$ROLE"
        printf '  "phase": "%s",\n' "$PHASE"
        printf '  "sections": {\n'
        cat "$W/sections"
        printf '\n  }\n}\n'
    } >"$W/report.json"
}

collect_all() {
    : >"$W/sections"
    NSECTIONS=0
    R_SAME_AS=
    say "collecting identity"
    collect_identity
    say "collecting interfaces and routes"
    collect_interfaces
    collect_sockets
    say "collecting sysctls and modules"
    collect_sysctl
    collect_modules
    say "collecting firewall rules"
    collect_firewall
    say "collecting dns, cni, swap, proxy and kubelet settings"
    collect_dns
    collect_cni
    collect_swap
    collect_proxy
    collect_proxy_config
    collect_kubelet
    say "collecting tools and time sync"
    collect_tools
    collect_time
    collect_cluster_cidrs
    collect_reachability
    write_report
    say "report $REPORT_ID: $NSECTIONS sections"
}

# ---------------------------------------------------------------- upload

# curl_supports_header_file: -H @file needs curl >= 7.55
# curl_at_least MINOR: curl is 7.MINOR or later (or 8+)
curl_at_least() {
    _cv=$(curl --version 2>/dev/null | head -n 1)
    _cv=${_cv#curl }
    _cv=${_cv%% *}
    _cv_major=${_cv%%.*}
    _cv_rest=${_cv#*.}
    _cv_minor=${_cv_rest%%.*}
    is_uint "$_cv_major" || return 1
    is_uint "$_cv_minor" || return 1
    [ "$_cv_major" -gt 7 ] && return 0
    [ "$_cv_major" -eq 7 ] && [ "$_cv_minor" -ge "$1" ]
}

curl_supports_header_file() {
    curl_at_least 55
}

# sh_quote STRING: STRING as one single-quoted shell word
sh_quote() {
    printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"
}

# token_id: what a spooled report records of the token it was made with: a hash, never the token
token_id() {
    if have_cmd sha256sum; then
        printf 'sha256:%s' "$(printf '%s' "$TOKEN" | sha256sum | cut -d ' ' -f 1)"
    else
        printf 'cksum:%s' "$(printf '%s' "$TOKEN" | cksum | cut -d ' ' -f 1)"
    fi
}

# resend_command FILE: a command that uploads FILE to this run's portal as printed: it asks for the token (the
# probe never prints one)
resend_command() {
    printf "  printf 'upload token: ' >&2; read -r t; printf 'Authorization: Bearer %%s\\\\n' \"\$t\" | curl -sS -X POST -H @- -H 'Content-Type: application/json' -H 'Accept: text/plain' --data-binary @%s %s\n" \
        "$(sh_quote "$1")" "$(sh_quote "$SERVER/api/v1/reports")"
}

# keep_report [aside]: keeps this run's report for the next run (spool/, with the portal and the token hash it was made
# for beside it in a .dest file: it is sent only there), or, with "aside", in spool/rejected/ where no run sends it
keep_report() {
    _kr_name="netready-report-$REPORT_ID.json"
    _kr_spool=${NETREADY_SPOOL_DIR:-/var/lib/netready/spool}
    KEPT=
    for _kr_dir in "$_kr_spool" "${TMPDIR:-/tmp}"; do
        [ "${1:-}" = aside ] && _kr_dir="$_kr_dir/rejected"
        (umask 077 && mkdir -p "$_kr_dir") 2>/dev/null || continue
        if [ ! -d "$_kr_dir" ] || [ ! -w "$_kr_dir" ]; then
            continue
        fi
        if (umask 077 && cp "$W/report.json" "$_kr_dir/$_kr_name" \
            && printf 'server=%s\ntoken=%s\n' "$SERVER" "$(token_id)" >"$_kr_dir/${_kr_name%.json}.dest") 2>/dev/null; then
            KEPT="$_kr_dir/$_kr_name"
            break
        fi
    done
    if [ -n "$KEPT" ] && [ "${1:-}" = aside ]; then
        err "the portal refused the token: the report is set aside at $KEPT (no run sends it); with a valid token, upload it with:"
        resend_command "$KEPT" >&2
    elif [ -n "$KEPT" ]; then
        err "report kept at $KEPT: the next run with this server and token sends it; or upload it now with:"
        resend_command "$KEPT" >&2
    else
        err "could not keep the report (no writable spool or temp directory)"
    fi
}

# spool_dest FILE KEY: the value of KEY in the .dest file beside a spooled report (empty if none)
spool_dest() {
    _sd_file="${1%.json}.dest"
    [ -f "$_sd_file" ] || return 0
    sed -n "s/^$2=//p" "$_sd_file" | head -n 1
}

# post_report FILE KIND: POSTs one report file, saying in X-Netready-Upload what it is (direct: this run's report,
# first try; retried: this run's report, tried again; spooled: an earlier run's); sets POST_CODE (HTTP status) and POST_RC (curl's exit code); the answer
# is in $W/resp. RETRIES bounds curl's retries of transient failures (refused connections, timeouts, 5xx, 429), with
# exponential backoff (1, 2, 4 ... s) or the wait the portal asks for in Retry-After, 90 s in all.
post_report() {
    _pr_body=$1
    _pr_kind=$2
    _pr_gzip=0
    if have_cmd gzip && gzip -c "$1" >"$W/post.gz" 2>/dev/null; then
        _pr_body="$W/post.gz"
        _pr_gzip=1
    fi
    # The token must not appear on a command line (visible in ps).
    (umask 077 && printf 'Authorization: Bearer %s\n' "$TOKEN" >"$W/auth.hdr") || {
        err "cannot write the header file"
        exit 1
    }
    if curl_supports_header_file; then
        set -- -H "@$W/auth.hdr"
    else
        # old curl: the same header from a curl config file
        (umask 077 && printf 'header = "Authorization: Bearer %s"\n' "$TOKEN" >"$W/auth.cfg")
        set -- -K "$W/auth.cfg"
    fi
    if [ "$_pr_gzip" -eq 1 ]; then
        set -- "$@" -H "Content-Encoding: gzip"
    fi
    # The portal compares a direct upload's collection time with its own clock; a retried or spooled report is late.
    set -- "$@" -H "X-Netready-Upload: $_pr_kind"
    # A portal that is restarting refuses connections for a moment: retry those too (curl 7.52+).
    if curl_at_least 52; then
        set -- "$@" --retry-connrefused
    fi
    rm -f "$W/resp"
    POST_CODE=$(curl --silent --show-error --location --connect-timeout 10 \
        --max-time "${POST_MAX_TIME:-120}" --retry "$RETRIES" --retry-max-time "${POST_RETRY_TIME:-90}" \
        -X POST "$@" -H "Content-Type: application/json" -H "Accept: text/plain" \
        --data-binary "@$_pr_body" -o "$W/resp" -w '%{http_code}' \
        "$SERVER/api/v1/reports")
    POST_RC=$?
    rm -f "$W/auth.hdr" "$W/auth.cfg" "$W/post.gz"
    [ -f "$W/resp" ] || : >"$W/resp"
}

# send_spooled: reports kept by earlier runs that could not upload go first, each only to the portal and with the
# token (by its hash) it was made for; others wait for a run that has them. A report the portal stored (again:
# uploads are idempotent by report id) is removed; one it refuses as invalid, or whose token it refuses, moves to
# rejected/; when the portal cannot be reached, the rest wait for the next run.
send_spooled() {
    _ss_dir=${NETREADY_SPOOL_DIR:-/var/lib/netready/spool}
    [ -d "$_ss_dir" ] || return 0
    _ss_token=$(token_id)
    # Any order will do: the portal orders a node's reports by their collection time.
    for _ss_path in "$_ss_dir"/netready-report-*.json; do
        [ -f "$_ss_path" ] || continue
        _ss_file=${_ss_path##*/}
        _ss_server=$(spool_dest "$_ss_path" server)
        if [ -z "$_ss_server" ]; then
            warn "$_ss_path names no portal (an older probe kept it): not sent; upload it by hand with:"
            resend_command "$_ss_path" >&2
            continue
        fi
        if [ "$_ss_server" != "$SERVER" ] || [ "$(spool_dest "$_ss_path" token)" != "$_ss_token" ]; then
            say "keeping $_ss_file: it was made for $_ss_server with another token or portal; a run with those sends it"
            continue
        fi
        say "sending the spooled report $_ss_dir/$_ss_file"
        RETRIES=1
        post_report "$_ss_path" spooled
        if [ "$POST_RC" -eq 0 ]; then
            case $POST_CODE in
                200 | 201)
                    rm -f "$_ss_path" "${_ss_path%.json}.dest"
                    continue ;;
                400 | 401 | 403 | 409 | 413 | 415 | 422)
                    (umask 077 && mkdir -p "$_ss_dir/rejected") 2>/dev/null
                    mv "$_ss_path" "${_ss_path%.json}.dest" "$_ss_dir/rejected/" 2>/dev/null
                    warn "the portal refused $_ss_file (HTTP $POST_CODE); moved to $_ss_dir/rejected/"
                    continue ;;
            esac
        fi
        warn "spooled reports stay in $_ss_dir for the next run (HTTP ${POST_CODE:-none}, curl exit $POST_RC)"
        return 0
    done
}

# upload_transient: the last post failed in a way curl's --retry would try again
upload_transient() {
    [ "$POST_RC" -ne 0 ] && return 0
    case $POST_CODE in
        408 | 429 | 500 | 502 | 503 | 504) return 0 ;;
    esac
    return 1
}

upload() {
    need_cmd curl
    send_spooled
    say "uploading report $REPORT_ID to $SERVER"
    # One try first, so that the portal knows the report reached it as soon as it was collected (it checks the
    # node's clock against its own only then); transient failures are then retried with backoff.
    # The plan, the first try and the retried one share one budget of 120 s, so a silent portal costs no more than
    # a single upload did.
    _up_start=${PORTAL_SINCE:-$(date +%s)}
    RETRIES=0
    POST_MAX_TIME=$((120 - ($(date +%s) - _up_start)))
    [ "$POST_MAX_TIME" -ge 30 ] || POST_MAX_TIME=30
    post_report "$W/report.json" direct
    _up_left=$((120 - ($(date +%s) - _up_start)))
    if upload_transient && [ "$_up_left" -gt 10 ]; then
        RETRIES=4
        POST_MAX_TIME=$_up_left
        POST_RETRY_TIME=$((_up_left < 90 ? _up_left : 90))
        post_report "$W/report.json" retried
    fi
    POST_MAX_TIME=120
    POST_RETRY_TIME=90
    if [ "$POST_RC" -eq 0 ] && { [ "$POST_CODE" = 200 ] || [ "$POST_CODE" = 201 ]; }; then
        if [ "$QUIET" -eq 0 ]; then
            cat "$W/resp"
        fi
        return 0
    fi
    if [ "$POST_RC" -ne 0 ]; then
        err "upload failed: curl exit $POST_RC, HTTP status ${POST_CODE:-none}"
    else
        err "upload failed: HTTP status $POST_CODE"
    fi
    if [ -s "$W/resp" ]; then
        head -c 65536 "$W/resp" >&2
        printf '\n' >&2
    fi
    if [ "$POST_RC" -eq 0 ] && { [ "$POST_CODE" = 401 ] || [ "$POST_CODE" = 403 ]; }; then
        # a run with this token would be refused again: set it aside instead of spooling it
        keep_report aside
    else
        keep_report
    fi
    return 1
}

# ------------------------------------------------------------------ main

# shellcheck disable=SC2317 # only called from the EXIT trap
cleanup() {
    if [ -n "${W:-}" ] && [ -d "$W" ]; then
        rm -rf "$W"
    fi
}

make_workdir() {
    W=
    if have_cmd mktemp; then
        W=$(mktemp -d 2>/dev/null) || W=
    fi
    if [ -z "$W" ]; then
        W="${TMPDIR:-/tmp}/netready.$$"
        if ! (umask 077 && mkdir "$W") 2>/dev/null; then
            W=
            err "cannot create a work directory in ${TMPDIR:-/tmp}"
            exit 1
        fi
    fi
}

parse_args() {
    SERVER=${NETREADY_SERVER:-}
    TOKEN=${NETREADY_TOKEN:-}
    ROLE=${NETREADY_ROLE:-}
    PHASE=${NETREADY_PHASE:-}
    OUTPUT=
    PLAN_FILE=
    QUIET=0
    while [ "$#" -gt 0 ]; do
        _pa_opt=$1
        _pa_has_val=0
        case $_pa_opt in
            --*=*)
                _pa_val=${_pa_opt#*=}
                _pa_opt=${_pa_opt%%=*}
                _pa_has_val=1
                ;;
        esac
        case $_pa_opt in
            --server | --token | --role | --phase | --output | --plan)
                if [ "$_pa_has_val" -eq 0 ]; then
                    [ "$#" -ge 2 ] || usage_error "$_pa_opt needs a value"
                    _pa_val=$2
                    shift
                fi
                case $_pa_opt in
                    --server) SERVER=$_pa_val ;;
                    --token) TOKEN=$_pa_val ;;
                    --role) ROLE=$_pa_val ;;
                    --phase) PHASE=$_pa_val ;;
                    --output)
                        [ -n "$_pa_val" ] || usage_error "--output needs a value"
                        OUTPUT=$_pa_val
                        ;;
                    --plan)
                        if [ ! -f "$_pa_val" ] || [ ! -r "$_pa_val" ]; then
                            usage_error "--plan: cannot read '$_pa_val'"
                        fi
                        PLAN_FILE=$_pa_val
                        ;;
                esac
                ;;
            --quiet | -q)
                [ "$_pa_has_val" -eq 0 ] || usage_error "$_pa_opt takes no value"
                QUIET=1
                ;;
            --help | -h)
                [ "$_pa_has_val" -eq 0 ] || usage_error "$_pa_opt takes no value"
                usage
                exit 0
                ;;
            *) usage_error "unknown argument: $1" ;;
        esac
        shift
    done

    [ -n "$ROLE" ] || ROLE=worker
    case $ROLE in
        control-plane | worker) ;;
        *) usage_error "bad role '$ROLE' (use control-plane or worker)" ;;
    esac
    if [ -z "$PHASE" ]; then
        if [ -e /etc/kubernetes/kubelet.conf ] || [ -e /var/lib/kubelet/config.yaml ]; then
            PHASE=running
        else
            PHASE=preflight
        fi
    fi
    case $PHASE in
        preflight | running) ;;
        *) usage_error "bad phase '$PHASE' (use preflight or running)" ;;
    esac

    if [ -z "$OUTPUT" ]; then
        [ -n "$SERVER" ] || usage_error "--server (or NETREADY_SERVER) is required unless --output is given"
        [ -n "$TOKEN" ] || usage_error "--token (or NETREADY_TOKEN) is required unless --output is given"
        case $SERVER in
            http://?* | https://?*) ;;
            *) usage_error "server must be an http:// or https:// URL: $SERVER" ;;
        esac
        while :; do
            case $SERVER in
                */) SERVER=${SERVER%/} ;;
                *) break ;;
            esac
        done
        # a token is one header value: no whitespace, quotes or backslashes
        case $TOKEN in
            *[[:space:][:cntrl:]\"\\]*) usage_error "the token contains invalid characters" ;;
        esac
    fi
}

main() {
    set -u
    LC_ALL=C
    export LC_ALL
    # iptables-save, sysctl etc. live in sbin, often not in a user's PATH
    for _m_d in /usr/local/sbin /usr/sbin /sbin; do
        case ":$PATH:" in
            *":$_m_d:"*) ;;
            *) PATH="$PATH:$_m_d" ;;
        esac
    done
    export PATH

    QUIET=0
    parse_args "$@"

    START_NS=$(now_ns)
    START_S=$(date +%s)
    COLLECTED_AT=$(date -u +%Y-%m-%dT%H:%M:%SZ)
    UID_NUM=$(id -u 2>/dev/null)
    is_uint "$UID_NUM" || UID_NUM=-1

    SECTION_LIMIT=${NETREADY_SECTION_LIMIT:-4194304}
    if ! is_uint "$SECTION_LIMIT"; then
        warn "ignoring bad NETREADY_SECTION_LIMIT '$SECTION_LIMIT'"
        SECTION_LIMIT=4194304
    fi
    SECTION_LIMIT=$(( SECTION_LIMIT + 0 ))
    CMD_TIMEOUT=${NETREADY_CMD_TIMEOUT:-10}
    if ! is_uint "$CMD_TIMEOUT" || [ "$CMD_TIMEOUT" -eq 0 ]; then
        warn "ignoring bad NETREADY_CMD_TIMEOUT '$CMD_TIMEOUT'"
        CMD_TIMEOUT=10
    fi

    need_cmd base64
    need_cmd head
    need_cmd tr

    W=
    trap cleanup EXIT
    trap 'exit 129' HUP
    trap 'exit 130' INT
    trap 'exit 143' TERM
    make_workdir
    setup_timeout
    REPORT_ID=$(make_uuid)

    say "netready probe $PROBE_VERSION (role $ROLE, phase $PHASE)"
    if [ -z "$PLAN_FILE" ] && [ -z "$OUTPUT" ]; then
        fetch_plan
    fi
    collect_all

    if [ -n "$OUTPUT" ]; then
        if [ "$OUTPUT" = - ]; then
            cat "$W/report.json"
        else
            if ! cat "$W/report.json" >"$OUTPUT"; then
                err "cannot write $OUTPUT"
                exit 1
            fi
            say "report written to $OUTPUT"
        fi
        exit 0
    fi

    if upload; then
        exit 0
    fi
    exit 1
}

main "$@"
