-- Roles and their permissions (names defined in cgi/core/auth.c), and the
-- dictionaries the other modules use.  These are reference data every
-- install needs; demo users and companies live in db/seed/demo.sql.

INSERT INTO roles (code, name, name_en, perms, scope_all, is_supplier, sort) VALUES
 ('admin', '系统管理员', 'Administrator',
  'base_view,base_admin,user_admin,audit_view,asset_view,asset_edit,stock,purchase,finance,qr,inspect,inspect_admin,defect,stats,wechat_admin', 1, 0, 10),
 ('leader', '公司领导', 'Company leader',
  'base_view,audit_view,asset_view,stats,defect', 1, 0, 20),
 ('ops', '运维负责人', 'Operations manager',
  'base_view,audit_view,asset_view,asset_edit,qr,inspect,inspect_admin,defect,stats', 1, 0, 30),
 ('inspector', '巡检员', 'Inspector',
  'asset_view,inspect,defect', 0, 0, 40),
 ('warehouse', '仓管员', 'Warehouse keeper',
  'base_view,asset_view,asset_edit,stock,qr', 0, 0, 50),
 ('procurement', '采购员', 'Procurement',
  'base_view,asset_view,purchase,stock', 1, 0, 60),
 ('finance', '财务', 'Finance',
  'base_view,asset_view,finance,stats', 1, 0, 70),
 ('supplier', '供应商', 'Supplier',
  'supplier', 0, 1, 80);

INSERT INTO dict_items (dict, code, name, name_en, sort) VALUES
 ('station_state', 'approved', '立项', 'Approved', 10),
 ('station_state', 'building', '施工', 'Under construction', 20),
 ('station_state', 'operating', '运营', 'Operating', 30),
 ('station_state', 'suspended', '停运', 'Suspended', 40),
 ('station_state', 'closed', '撤站', 'Closed', 50),
 ('asset_nature', 'own', '自建自营', 'Own build, own operation', 10),
 ('asset_nature', 'joint', '合作共建', 'Joint construction', 20),
 ('asset_nature', 'leased', '租赁运营', 'Leased operation', 30),
 ('asset_nature', 'managed', '委托运营', 'Managed for others', 40),
 ('charging_mode', 'gb2015', '国标2015', 'GB/T 2015', 10),
 ('charging_mode', 'gb2011', '国标2011', 'GB/T 2011', 20),
 ('charging_mode', 'ccs2', '欧标CCS2', 'CCS2', 30),
 ('charging_mode', 'chaoji', 'ChaoJi', 'ChaoJi', 40),
 ('comm_method', '4g', '4G', '4G', 10),
 ('comm_method', 'ethernet', '以太网', 'Ethernet', 20),
 ('comm_method', 'wifi', 'WiFi', 'Wi-Fi', 30),
 ('comm_method', 'nbiot', 'NB-IoT', 'NB-IoT', 40),
 ('comm_method', 'rs485', 'RS485', 'RS485', 50);
