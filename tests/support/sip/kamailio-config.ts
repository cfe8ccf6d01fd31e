/**
 * Kamailio's configuration for the tests: a registrar with its location table in memory, SIP over
 * WebSocket (RFC 7118) on one loopback port and over UDP on another, relaying between them.
 * Numbers listed in `routes` go to a fixed UDP address (a SIPp callee); every other user must
 * have registered (404 otherwise, as a real PBX answers an unknown extension).
 */

export interface KamailioConfigInput {
  udpPort: number
  wsPort: number
  /** dialled user part → UDP port on 127.0.0.1 where a scripted callee listens */
  routes: Record<string, number>
  modulesDir: string
}

export function kamailioConfig({
  udpPort,
  wsPort,
  routes,
  modulesDir,
}: KamailioConfigInput): string {
  const staticRoutes = Object.entries(routes)
    .map(
      ([user, port]) =>
        `  if ($rU == "${user}") { $du = "sip:127.0.0.1:${port}"; route(RELAY); exit; }`,
    )
    .join('\n')
  const modules = [
    'tm',
    'sl',
    'rr',
    'pv',
    'maxfwd',
    'usrloc',
    'registrar',
    'textops',
    'siputils',
    'sanity',
    'xhttp',
    'websocket',
    'nathelper',
    'corex',
    'kex',
  ]
  return `#!KAMAILIO
debug=2
log_stderror=yes
children=2
tcp_children=2
auto_aliases=no
# aliases WITH their ports: without one, a SIPp on another local port would be "myself"
listen=udp:127.0.0.1:${udpPort}
listen=tcp:127.0.0.1:${wsPort}
alias="127.0.0.1:${udpPort}"
alias="127.0.0.1:${wsPort}"
tcp_accept_no_cl=yes
tcp_connection_lifetime=3605
mpath="${modulesDir}"
${modules.map((m) => `loadmodule "${m}.so"`).join('\n')}

modparam("usrloc", "db_mode", 0)
modparam("rr", "enable_double_rr", 1)
modparam("nathelper|registrar", "received_avp", "$avp(RECEIVED)")
modparam("websocket", "keepalive_mechanism", 0)

request_route {
  if (!mf_process_maxfwd_header("10")) { sl_send_reply("483", "Too Many Hops"); exit; }
  if (is_method("OPTIONS") && uri == myself && $rU == $null) { sl_send_reply("200", "OK"); exit; }
  # WebSocket clients write an unroutable .invalid Contact: remember where they really are
  if (nat_uac_test("64")) {
    force_rport();
    if (is_method("REGISTER")) { fix_nated_register(); }
    else if (!has_totag()) { set_contact_alias(); }
  }
  if (has_totag()) {
    if (loose_route()) {
      if ($du == "") { handle_ruri_alias(); }
      if (is_method("ACK|BYE|INVITE|UPDATE|INFO") && nat_uac_test("64")) { set_contact_alias(); }
      route(RELAY);
      exit;
    }
    if (is_method("ACK")) { if (t_check_trans()) { t_relay(); } exit; }
    sl_send_reply("404", "Not here");
    exit;
  }
  if (is_method("CANCEL")) { if (t_check_trans()) { t_relay(); } exit; }
  t_check_trans();
  if (is_method("REGISTER")) { save("location"); exit; }
  if (is_method("INVITE")) { record_route(); }
${staticRoutes}
  if (!lookup("location")) { sl_send_reply("404", "Not Found"); exit; }
  route(RELAY);
}

route[RELAY] {
  if (is_method("INVITE")) { t_on_reply("REPLY"); }
  if (!t_relay()) { sl_reply_error(); }
}

onreply_route[REPLY] {
  if (nat_uac_test("64")) { set_contact_alias(); }
}

event_route[xhttp:request] {
  if ($Rp != ${wsPort}) { xhttp_reply("403", "Forbidden", "", ""); exit; }
  if ($hdr(Upgrade) =~ "websocket" && $hdr(Connection) =~ "Upgrade" && $rm =~ "GET") {
    if (ws_handle_handshake()) { exit; }
  }
  xhttp_reply("404", "Not Found", "", "");
}
`
}
