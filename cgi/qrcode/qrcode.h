/*
 * qrcode.h — handlers of the ca-qrcode worker (F3): code rules (rule.c,
 * declared for the crud engine), batches and their generation (batch.c),
 * label sheets, the per-code SVG and code lookup (label.c).  Building,
 * checking and drawing codes is model/code.c, shared with ca-wechat.
 */
#ifndef CA_QRCODE_H
#define CA_QRCODE_H

#include <stdbool.h>
#include <stdint.h>

struct req;

/* rule.c */
int rule_list(struct req *r);
int rule_export(struct req *r);
int rule_new(struct req *r);
int rule_create(struct req *r);
int rule_edit(struct req *r);
int rule_update(struct req *r);
int rule_delete(struct req *r);

/* batch.c */
int batch_list(struct req *r);
int batch_export(struct req *r);
int batch_new(struct req *r);
int batch_create(struct req *r);
int batch_show(struct req *r);
int batch_generate(struct req *r);

/* pilecode.c: a batch's codes and piles registered from them */
void batch_codes_fill(struct req *r, int64_t batch_id);
int batch_piles(struct req *r);

/* regen.c: regeneration (二维码重生) of a pile's code */
int regen_scan(struct req *r);
int regen_show(struct req *r);
int regen_replace(struct req *r);
int regen_label(struct req *r);
int regen_svg(struct req *r);

/* label.c */
int label_sheet(struct req *r);
int label_piles(struct req *r);	/* the piles ticked on the pile list */
int code_show(struct req *r);
int code_label(struct req *r);
int code_lookup(struct req *r);
int qr_home(struct req *r);

/* Labels per sheet page: a page of 100 renders in well under a second. */
#define LABELS_PER_PAGE 100

/* The public base URL of QR payloads (Site.base_url). */
const char *qr_base_url(void);
/* Label copies a reprint may ask for. */
#define LABEL_MAX_COPIES 100
/* Fill Page.labels for `copies` labels of one code and the sheet's common
 * fields (layout "a4" or "roll"); src is the image (NULL: the code's own
 * /qr/codes/<code>.svg); back/base are the toolbar's links. */
void qr_sheet_one(struct req *r, const char *layout, const char *code, const char *src,
    int copies, const char *back, const char *base);
/* Answer with the label of `code` as image/svg+xml (r->body, raw). */
int qr_label_svg(struct req *r, const char *code, const char *company, const char *cache);
/* Is `code` gone (void: is_void, or replaced on a pile in the user's
 * scope)?  Then Page.error says so, naming the pile's current code only
 * when that pile is in the user's scope, and the answer is 410. */
bool qr_gone(struct req *r, const char *code, bool is_void);
/* Fill Page.flash from ?flash= when it is one of keys (Lang.flash.<key>). */
void qr_flash(struct req *r, const char *const *keys);

#endif
