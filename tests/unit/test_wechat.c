/* Unit tests of cgi/core/wechat.c's pure parts with every vector of
 * WECHAT.md §10.1 (JS-SDK signature), §10.2 (push signature) and §10.5
 * (scanQRCode results), plus the secret mask.  §10.3–10.4 (datums,
 * haversine) are in test_geo.c; pile codes from scans in test_code.c. */
#include "core/wechat.h"

#include "tap.h"

#define TICKET1 "sM4AOVdWfPE4DxkXGEs8VMCPGGVi4C3VM0P37wVUCFvkVAy_90u5h9nbSlYy3-Sl-HhTdfl2fzFy1AOcHKP7qg"
#define TICKET3 "kgt8ON7yVITDhtdwci0qeZzPy8LFU9nSxmXFRFtqZw0GFZe3OkNMqSyUCtGGi_GZ4rjE0X4FCyX1iZT-rUR6bg"

int
main(void)
{
	char sig[41], out[128];

	/* §10.1 */
	wx_js_signature(TICKET1, "Wm3WZYTPz0wzccnW", "1414587457", "http://mp.weixin.qq.com?params=value", sig);
	is_str(sig, "0f9de62fce790f9a083d5c99e95740ceb90c27ed", "JS-1 official example (current doc)");
	wx_js_signature(TICKET1, "Wm3WZYTPz0wzccnW", "1414587457", "http://mp.weixin.qq.com", sig);
	is_str(sig, "f4d90daf4b3bca3078ab155816175ba34c443a7b", "JS-2 official example (2014 doc)");
	wx_js_signature(TICKET3, "abc123XYZ", "1700000000",
	    "https://ops.example.com/inspect/scan?pile=CP-0001&site=S12#/step2", sig);
	is_str(sig, "8fa024c55c51fc5f2fd901dba068700ee851927a", "JS-3 fragment stripped, query verbatim");
	wx_js_signature(TICKET3, "abc123XYZ", "1700000000",
	    "https://ops.example.com/inspect/scan?pile=CP-0001&site=S12", sig);
	is_str(sig, "8fa024c55c51fc5f2fd901dba068700ee851927a", "JS-3 without the fragment signs the same");
	wx_js_signature(TICKET3, "abc123XYZ", "1700000001",
	    "https://ops.example.com/inspect/scan?pile=CP-0001&site=S12", sig);
	ok(strcmp(sig, "8fa024c55c51fc5f2fd901dba068700ee851927a") != 0, "another timestamp signs differently");

	/* §10.2 */
	ok(wx_push_check("AAAAA", "1714037059", "486452656", "899cf89e464efb63f54ddac96b0a0a235f53aa78"),
	    "PUSH-1 official example");
	ok(wx_push_check("test", "1410685589", "test", "f21891de399b4e33a1a93c9a7b8a8fffb5a443ff"),
	    "PUSH-2 wechatpy example");
	ok(!wx_push_check("test", "1410685589", "test", "f21891de399b4e33a1a93c9a7b8a8fffb5a443fe"),
	    "PUSH-2 with the last digit changed fails");
	ok(!wx_push_check("AAAAA", "1714037059", "486452657", "899cf89e464efb63f54ddac96b0a0a235f53aa78"),
	    "another nonce fails");
	ok(!wx_push_check("AAAAA", "1714037059", "486452656", "899CF89E464EFB63F54DDAC96B0A0A235F53AA78"),
	    "upper-case hex is not what WeChat sends");
	ok(!wx_push_check("", "1714037059", "486452656", "899cf89e464efb63f54ddac96b0a0a235f53aa78"),
	    "an empty token never matches");
	ok(!wx_push_check("AAAAA", NULL, "486452656", "899cf89e464efb63f54ddac96b0a0a235f53aa78"),
	    "a missing timestamp never matches");
	ok(!wx_push_check("AAAAA", "1714037059", "486452656", "899cf89e"), "a short signature never matches");

	/* §10.5 */
	is_str(wx_scan_result("EAN_13,6921665714849", out, sizeof(out)), "6921665714849", "EAN_13 prefix dropped");
	is_str(wx_scan_result("CODE_128,50090500019191", out, sizeof(out)), "50090500019191", "CODE_128 prefix dropped");
	is_str(wx_scan_result("https://ops.example.com/p/CP-0001", out, sizeof(out)),
	    "https://ops.example.com/p/CP-0001", "a QR payload stays unchanged");
	is_str(wx_scan_result("QR_CODE,https://ops.example.com/p/CP-0001", out, sizeof(out)),
	    "https://ops.example.com/p/CP-0001", "QR_CODE prefix dropped");
	is_str(wx_scan_result("FOO,bar", out, sizeof(out)), "FOO,bar", "an unknown prefix is kept");
	is_str(wx_scan_result("EAN_13", out, sizeof(out)), "EAN_13", "a format name alone is kept");
	is_str(wx_scan_result(NULL, out, sizeof(out)), "", "nothing gives nothing");

	/* The mask shown for a stored secret. */
	wx_mask("0123456789abcdef", out, sizeof(out));
	is_str(out, "••••cdef", "a secret shows only its last 4 characters");
	wx_mask("abc", out, sizeof(out));
	is_str(out, "••••", "a short secret shows nothing of itself");
	wx_mask("", out, sizeof(out));
	is_str(out, "", "no secret, no mask");

	is_str(wx_status_name(WX_RATE), "rate_limited", "status names");
	is_str(wx_status_name(5), "unknown", "an unknown status");
	return done();
}
