-- Demo data for ChargeAsset (充电站资产管理系统): demo and test only.
-- Loaded by ./chargeasset (seed_demo) into an empty, migrated database, in
-- one transaction; roles and dictionaries come from the migrations.
-- Every company, person, address and phone number here is fictional; the
-- city names, administrative division codes and centres are real.
-- Users get the password hash '@DEMO@', which the loader replaces.

SET NAMES utf8mb4;

-- ------------------------------------------------------------ companies

-- Head office.
INSERT INTO companies (code, name, kind, contact, phone, address, note) VALUES
 ('HQ', '蓝途充电运营集团有限公司', 'head', '赵国栋', '025-52880001',
  '江苏省南京市建邺区江东中路汇智大厦A座18层', '集团总部，负责投资、采购、财务与运营管理');

-- City companies (each covers 3-4 nearby cities, see cities below).
INSERT INTO companies (code, name, kind, contact, phone, address, note) VALUES
 ('CC-SZ',  '蓝途充电（苏州）有限公司', 'city', '沈建华', '0512-66881001',
  '江苏省苏州市苏州工业园区星湖街328号创意产业园9栋5楼', '覆盖苏州、无锡、常州'),
 ('CC-HZ',  '蓝途充电（杭州）有限公司', 'city', '钱文斌', '0571-86881002',
  '浙江省杭州市余杭区文一西路969号海创科技中心3幢12楼', '覆盖杭州、绍兴、嘉兴、湖州'),
 ('CC-GZ',  '蓝途充电（广州）有限公司', 'city', '梁志明', '020-38881003',
  '广东省广州市天河区黄埔大道西638号富力科讯大厦21楼', '覆盖广州、佛山、中山、珠海'),
 ('CC-SZN', '蓝途充电（深圳）有限公司', 'city', '邓家豪', '0755-26881004',
  '广东省深圳市南山区科技南十二路18号长虹科技大厦15楼', '覆盖深圳、东莞、惠州'),
 ('CC-CD',  '蓝途充电（成都）有限公司', 'city', '罗永刚', '028-85881005',
  '四川省成都市高新区天府大道中段1388号美年广场C座9楼', '覆盖成都、德阳、绵阳、眉山'),
 ('CC-WH',  '蓝途充电（武汉）有限公司', 'city', '胡振宇', '027-85881006',
  '湖北省武汉市洪山区珞喻路889号光谷新发展国际中心B座16楼', '覆盖武汉、孝感、黄石'),
 ('CC-XA',  '蓝途充电（西安）有限公司', 'city', '杜海峰', '029-88881007',
  '陕西省西安市雁塔区锦业路69号创业研发园C区11楼', '覆盖西安、咸阳、宝鸡'),
 ('CC-NJ',  '蓝途充电（南京）有限公司', 'city', '许立新', '025-52881008',
  '江苏省南京市江宁区胜太路68号江宁科创园2号楼7楼', '覆盖南京、镇江、扬州、泰州'),
 ('CC-ZZ',  '蓝途充电（郑州）有限公司', 'city', '郝卫东', '0371-66881009',
  '河南省郑州市金水区花园路39号升龙国际中心A座20楼', '覆盖郑州、开封、洛阳、新乡'),
 ('CC-CS',  '蓝途充电（长沙）有限公司', 'city', '彭湘君', '0731-85881010',
  '湖南省长沙市岳麓区麓谷大道658号麓谷信息港A座8楼', '覆盖长沙、株洲、湘潭'),
 ('CC-QD',  '蓝途充电（青岛）有限公司', 'city', '于海涛', '0532-86881011',
  '山东省青岛市崂山区海尔路180号大荣中心B座13楼', '覆盖青岛、烟台、潍坊'),
 ('CC-HF',  '蓝途充电（合肥）有限公司', 'city', '汪德胜', '0551-65881012',
  '安徽省合肥市蜀山区望江西路800号创新产业园一期B4栋6楼', '覆盖合肥、芜湖、马鞍山');

-- Outside companies: manufacturers (some also suppliers), pure suppliers,
-- lessors, lessees and buyers.
INSERT INTO companies (code, name, kind, is_lessor, is_lessee, is_buyer, is_supplier,
                       is_manufacturer, contact, phone, address, note) VALUES
 ('MF-XC', '星驰电气股份有限公司', 'outside', 0, 0, 0, 1, 1, '郑凯', '0512-65230188',
  '江苏省苏州市吴中区木渎镇金枫南路1258号', '交直流充电桩整机制造，直供集团'),
 ('MF-YT', '远拓智能装备有限公司', 'outside', 0, 0, 0, 1, 1, '韩晓峰', '0755-29031266',
  '广东省深圳市宝安区石岩街道塘头大道168号', '直流快充及分体式充电堆'),
 ('MF-JN', '嘉能电力设备有限公司', 'outside', 0, 0, 0, 0, 1, '曹俊', '0571-88127650',
  '浙江省杭州市萧山区经济技术开发区建设二路599号', '直流一体机与大功率分体式设备'),
 ('MF-QL', '擎雷新能源科技有限公司', 'outside', 0, 0, 0, 0, 1, '蒋思远', '021-67893420',
  '上海市松江区九亭镇涞寅路1881号', '液冷超充与交流智能桩'),
 ('MF-LZ', '澜舟电气科技有限公司', 'outside', 0, 0, 0, 0, 1, '邱志华', '027-87652310',
  '湖北省武汉市东湖新技术开发区高新大道999号', '中小功率直流桩'),
 ('MF-TY', '通远线缆股份有限公司', 'outside', 0, 0, 0, 1, 1, '唐国平', '0510-87326611',
  '江苏省无锡市宜兴市官林镇工业集中区兴业路36号', '电力电缆与控制电缆'),
 ('SP-HY', '恒源能源科技有限公司', 'outside', 0, 0, 0, 1, 0, '何丽', '025-83456120',
  '江苏省南京市雨花台区软件大道119号', '充电模块、配电柜及备品备件供应'),
 ('SP-ZH', '卓衡供应链管理有限公司', 'outside', 0, 0, 0, 1, 0, '田雨', '020-82236570',
  '广东省广州市黄埔区科学大道243号', '箱变、线缆辅材及安装服务'),
 ('LS-JH', '金湖置业发展有限公司', 'outside', 1, 0, 0, 0, 0, '顾明', '0512-62583300',
  '江苏省苏州市姑苏区人民路2066号', '场地出租方：商业综合体地面及地下停车场'),
 ('LS-RX', '润行设备租赁有限公司', 'outside', 1, 0, 0, 0, 0, '严伟', '0571-85092218',
  '浙江省杭州市拱墅区莫干山路1418号', '充电桩经营性租赁出租方'),
 ('LE-FY', '飞羽出行科技有限公司', 'outside', 0, 1, 0, 0, 0, '冯磊', '028-61882045',
  '四川省成都市武侯区天府大道北段1700号', '网约车运营商，承租专用充电桩'),
 ('LE-DL', '道朗城配物流有限公司', 'outside', 0, 1, 0, 0, 0, '罗斌', '027-83659021',
  '湖北省武汉市东西湖区走马岭汇通大道22号', '城市配送车队，承租场站充电桩'),
 ('BY-MX', '明轩物业服务有限公司', 'outside', 0, 0, 1, 0, 0, '白雪梅', '0532-85963317',
  '山东省青岛市市南区香港中路76号', '小区物业，购买交流桩'),
 ('BY-RJ', '瑞景公交客运有限公司', 'outside', 0, 0, 1, 0, 0, '孔德明', '0371-67731580',
  '河南省郑州市中原区建设西路187号', '公交场站，购买退役直流桩');

-- ------------------------------------------------------------ cities

INSERT INTO cities (code, name, province, company_id, lat, lng) VALUES
 ('320500', '苏州',   '江苏省', (SELECT id FROM companies WHERE code = 'CC-SZ'),  31.298886, 120.585316),
 ('320200', '无锡',   '江苏省', (SELECT id FROM companies WHERE code = 'CC-SZ'),  31.491169, 120.311910),
 ('320400', '常州',   '江苏省', (SELECT id FROM companies WHERE code = 'CC-SZ'),  31.810689, 119.973987),
 ('330100', '杭州',   '浙江省', (SELECT id FROM companies WHERE code = 'CC-HZ'),  30.274085, 120.155070),
 ('330600', '绍兴',   '浙江省', (SELECT id FROM companies WHERE code = 'CC-HZ'),  29.997117, 120.582112),
 ('330400', '嘉兴',   '浙江省', (SELECT id FROM companies WHERE code = 'CC-HZ'),  30.746129, 120.755486),
 ('330500', '湖州',   '浙江省', (SELECT id FROM companies WHERE code = 'CC-HZ'),  30.894348, 120.086823),
 ('440100', '广州',   '广东省', (SELECT id FROM companies WHERE code = 'CC-GZ'),  23.129110, 113.264385),
 ('440600', '佛山',   '广东省', (SELECT id FROM companies WHERE code = 'CC-GZ'),  23.021478, 113.121435),
 ('442000', '中山',   '广东省', (SELECT id FROM companies WHERE code = 'CC-GZ'),  22.517646, 113.392782),
 ('440400', '珠海',   '广东省', (SELECT id FROM companies WHERE code = 'CC-GZ'),  22.270978, 113.576677),
 ('440300', '深圳',   '广东省', (SELECT id FROM companies WHERE code = 'CC-SZN'), 22.543096, 114.057865),
 ('441900', '东莞',   '广东省', (SELECT id FROM companies WHERE code = 'CC-SZN'), 23.020536, 113.751765),
 ('441300', '惠州',   '广东省', (SELECT id FROM companies WHERE code = 'CC-SZN'), 23.111847, 114.416196),
 ('510100', '成都',   '四川省', (SELECT id FROM companies WHERE code = 'CC-CD'),  30.572815, 104.066801),
 ('510600', '德阳',   '四川省', (SELECT id FROM companies WHERE code = 'CC-CD'),  31.126856, 104.397894),
 ('510700', '绵阳',   '四川省', (SELECT id FROM companies WHERE code = 'CC-CD'),  31.467459, 104.679004),
 ('511400', '眉山',   '四川省', (SELECT id FROM companies WHERE code = 'CC-CD'),  30.075440, 103.848538),
 ('420100', '武汉',   '湖北省', (SELECT id FROM companies WHERE code = 'CC-WH'),  30.592849, 114.305539),
 ('420900', '孝感',   '湖北省', (SELECT id FROM companies WHERE code = 'CC-WH'),  30.924568, 113.916645),
 ('420200', '黄石',   '湖北省', (SELECT id FROM companies WHERE code = 'CC-WH'),  30.199652, 115.038520),
 ('610100', '西安',   '陕西省', (SELECT id FROM companies WHERE code = 'CC-XA'),  34.341574, 108.939770),
 ('610400', '咸阳',   '陕西省', (SELECT id FROM companies WHERE code = 'CC-XA'),  34.329605, 108.708991),
 ('610300', '宝鸡',   '陕西省', (SELECT id FROM companies WHERE code = 'CC-XA'),  34.361979, 107.237743),
 ('320100', '南京',   '江苏省', (SELECT id FROM companies WHERE code = 'CC-NJ'),  32.060255, 118.796877),
 ('321100', '镇江',   '江苏省', (SELECT id FROM companies WHERE code = 'CC-NJ'),  32.187849, 119.425836),
 ('321000', '扬州',   '江苏省', (SELECT id FROM companies WHERE code = 'CC-NJ'),  32.394210, 119.412966),
 ('321200', '泰州',   '江苏省', (SELECT id FROM companies WHERE code = 'CC-NJ'),  32.455778, 119.923116),
 ('410100', '郑州',   '河南省', (SELECT id FROM companies WHERE code = 'CC-ZZ'),  34.746599, 113.625368),
 ('410200', '开封',   '河南省', (SELECT id FROM companies WHERE code = 'CC-ZZ'),  34.797281, 114.307582),
 ('410300', '洛阳',   '河南省', (SELECT id FROM companies WHERE code = 'CC-ZZ'),  34.618499, 112.454040),
 ('410700', '新乡',   '河南省', (SELECT id FROM companies WHERE code = 'CC-ZZ'),  35.303004, 113.926800),
 ('430100', '长沙',   '湖南省', (SELECT id FROM companies WHERE code = 'CC-CS'),  28.228209, 112.938814),
 ('430200', '株洲',   '湖南省', (SELECT id FROM companies WHERE code = 'CC-CS'),  27.827433, 113.133853),
 ('430300', '湘潭',   '湖南省', (SELECT id FROM companies WHERE code = 'CC-CS'),  27.829795, 112.944049),
 ('370200', '青岛',   '山东省', (SELECT id FROM companies WHERE code = 'CC-QD'),  36.067082, 120.382639),
 ('370600', '烟台',   '山东省', (SELECT id FROM companies WHERE code = 'CC-QD'),  37.463822, 121.447935),
 ('370700', '潍坊',   '山东省', (SELECT id FROM companies WHERE code = 'CC-QD'),  36.706774, 119.161756),
 ('340100', '合肥',   '安徽省', (SELECT id FROM companies WHERE code = 'CC-HF'),  31.820591, 117.227219),
 ('340200', '芜湖',   '安徽省', (SELECT id FROM companies WHERE code = 'CC-HF'),  31.352859, 118.432941),
 ('340500', '马鞍山', '安徽省', (SELECT id FROM companies WHERE code = 'CC-HF'),  31.670452, 118.506760);

-- ------------------------------------------------------------ pile products

INSERT INTO products (manufacturer_id, model, name, rated_power_kw, current_type, connectors,
                      charging_mode, warranty_months, note) VALUES
 ((SELECT id FROM companies WHERE code = 'MF-XC'), 'XC-AC7-W',     '7kW交流壁挂式充电桩',            7.00,  'AC', 1, 'gb2015', 24, '单相220V 32A，刷卡/扫码启动'),
 ((SELECT id FROM companies WHERE code = 'MF-XC'), 'XC-AC21-P',    '21kW交流立柱式充电桩',          21.00,  'AC', 1, 'gb2015', 24, '三相380V 32A'),
 ((SELECT id FROM companies WHERE code = 'MF-XC'), 'XC-DC60-2',    '60kW直流一体式双枪充电桩',      60.00,  'DC', 2, 'gb2015', 36, '功率动态分配'),
 ((SELECT id FROM companies WHERE code = 'MF-XC'), 'XC-DC120-2',   '120kW直流一体式双枪充电桩',    120.00,  'DC', 2, 'gb2015', 36, '输出电压200-1000V'),
 ((SELECT id FROM companies WHERE code = 'MF-XC'), 'XC-DC480-F8',  '480kW分体式直流充电堆（8终端）', 480.00, 'DC', 8, 'gb2015', 60, '主机柜+8个充电终端，功率柔性分配'),
 ((SELECT id FROM companies WHERE code = 'MF-YT'), 'YT-AC7-P',     '7kW交流立柱式充电桩',            7.00,  'AC', 1, 'gb2015', 24, NULL),
 ((SELECT id FROM companies WHERE code = 'MF-YT'), 'YT-DC30-1',    '30kW直流壁挂式充电桩',          30.00,  'DC', 1, 'gb2015', 24, '适用于小区及写字楼慢快充'),
 ((SELECT id FROM companies WHERE code = 'MF-YT'), 'YT-DC160-2',   '160kW直流一体式双枪充电桩',    160.00,  'DC', 2, 'gb2015', 36, NULL),
 ((SELECT id FROM companies WHERE code = 'MF-YT'), 'YT-DC240-F4',  '240kW分体式直流充电系统（4终端）', 240.00, 'DC', 4, 'gb2015', 60, '适用于公交及物流场站'),
 ((SELECT id FROM companies WHERE code = 'MF-YT'), 'YT-DC120-E',   '120kW直流充电桩（欧标）',       120.00,  'DC', 1, 'ccs2',   24, 'CCS2接口，用于合资品牌试验车辆'),
 ((SELECT id FROM companies WHERE code = 'MF-JN'), 'JN-AC11-W',    '11kW交流壁挂式充电桩',          11.00,  'AC', 1, 'gb2015', 24, '三相380V 16A'),
 ((SELECT id FROM companies WHERE code = 'MF-JN'), 'JN-DC60-1',    '60kW直流单枪充电桩',            60.00,  'DC', 1, 'gb2011', 24, '旧国标机型，已停产，仅存量维护'),
 ((SELECT id FROM companies WHERE code = 'MF-JN'), 'JN-DC180-2',   '180kW直流一体式双枪充电桩',    180.00,  'DC', 2, 'gb2015', 36, NULL),
 ((SELECT id FROM companies WHERE code = 'MF-JN'), 'JN-DC360-F6',  '360kW分体式直流充电堆（6终端）', 360.00, 'DC', 6, 'gb2015', 60, '风冷模块，支持错峰功率调度'),
 ((SELECT id FROM companies WHERE code = 'MF-QL'), 'QL-AC7-S',     '7kW智能交流充电桩',              7.00,  'AC', 1, 'gb2015', 12, '支持蓝牙即插即充'),
 ((SELECT id FROM companies WHERE code = 'MF-QL'), 'QL-DC120-2',   '120kW直流双枪充电桩',          120.00,  'DC', 2, 'gb2015', 24, NULL),
 ((SELECT id FROM companies WHERE code = 'MF-QL'), 'QL-DC240-2',   '240kW直流双枪充电桩',          240.00,  'DC', 2, 'gb2015', 36, NULL),
 ((SELECT id FROM companies WHERE code = 'MF-QL'), 'QL-DC480-LC',  '480kW液冷超充终端',            480.00,  'DC', 1, 'chaoji', 60, '液冷枪线，最大电流800A'),
 ((SELECT id FROM companies WHERE code = 'MF-LZ'), 'LZ-DC30-M',    '30kW直流小功率充电桩',          30.00,  'DC', 1, 'gb2015', 24, NULL),
 ((SELECT id FROM companies WHERE code = 'MF-LZ'), 'LZ-DC80-2',    '80kW直流双枪充电桩',            80.00,  'DC', 2, 'gb2015', 24, NULL),
 ((SELECT id FROM companies WHERE code = 'MF-LZ'), 'LZ-DC160-F4',  '160kW分体式直流充电系统（4终端）', 160.00, 'DC', 4, 'gb2015', 36, NULL);

-- ------------------------------------------------------------ cable products

INSERT INTO cable_products (manufacturer_id, model, spec, unit, note) VALUES
 ((SELECT id FROM companies WHERE code = 'MF-TY'), 'YJV22-0.6/1kV-3x95+1x50',
  '铜芯交联聚乙烯绝缘钢带铠装电力电缆 0.6/1kV 3×95+1×50mm²', 'm', '箱变至直流堆主进线'),
 ((SELECT id FROM companies WHERE code = 'MF-TY'), 'YJV22-0.6/1kV-3x185+1x95',
  '铜芯交联聚乙烯绝缘钢带铠装电力电缆 0.6/1kV 3×185+1×95mm²', 'm', '大功率充电堆进线'),
 ((SELECT id FROM companies WHERE code = 'MF-TY'), 'YJV22-0.6/1kV-3x50+2x25',
  '铜芯交联聚乙烯绝缘钢带铠装电力电缆 0.6/1kV 3×50+2×25mm²', 'm', '60-120kW直流桩进线'),
 ((SELECT id FROM companies WHERE code = 'MF-TY'), 'YJV-0.6/1kV-5x16',
  '铜芯交联聚乙烯绝缘电力电缆 0.6/1kV 5×16mm²', 'm', '交流桩三相进线'),
 ((SELECT id FROM companies WHERE code = 'MF-TY'), 'YJV22-8.7/15kV-3x70',
  '铜芯交联聚乙烯绝缘钢带铠装中压电缆 8.7/15kV 3×70mm²', 'm', '10kV进线至箱式变电站'),
 (NULL, 'RVV-300/500V-3x6',
  '铜芯聚氯乙烯绝缘护套软电缆 300/500V 3×6mm²', 'm', '7kW交流桩进线'),
 (NULL, 'BVR-450/750V-1x4-YG',
  '铜芯聚氯乙烯绝缘软电线 450/750V 1×4mm² 黄绿双色，100m/卷', 'roll', '接地线'),
 (NULL, 'RVVP-300/300V-2x1.0',
  '铜芯聚氯乙烯绝缘屏蔽软电缆 300/300V 2×1.0mm²，100m/卷', 'roll', 'RS485通信线'),
 (NULL, 'CAT6-UTP-305',
  '六类非屏蔽网线 23AWG，305m/箱', 'roll', '场站以太网布线');

-- ------------------------------------------------------------ warehouses
-- Each warehouse's city is covered by its company.  Wuhan, Xi'an, Zhengzhou,
-- Changsha, Qingdao and Hefei keep a single warehouse in their main city.

INSERT INTO warehouses (code, name, company_id, city_id, address, keeper, phone) VALUES
 ('WH-SZ-01',  '苏州工业园区中心仓', (SELECT id FROM companies WHERE code = 'CC-SZ'),  (SELECT id FROM cities WHERE code = '320500'),
  '苏州工业园区唯亭街道青丘街88号3号库', '陈静', '13962150318'),
 ('WH-SZ-02',  '无锡新吴区周转仓',   (SELECT id FROM companies WHERE code = 'CC-SZ'),  (SELECT id FROM cities WHERE code = '320200'),
  '无锡市新吴区锡兴路52号物流园B区', '吴海军', '13861722046'),
 ('WH-HZ-01',  '杭州余杭中心仓',     (SELECT id FROM companies WHERE code = 'CC-HZ'),  (SELECT id FROM cities WHERE code = '330100'),
  '杭州市余杭区仁和街道仁河大道68号2号库', '金晓东', '13757120583'),
 ('WH-HZ-02',  '嘉兴南湖周转仓',     (SELECT id FROM companies WHERE code = 'CC-HZ'),  (SELECT id FROM cities WHERE code = '330400'),
  '嘉兴市南湖区亚太路1052号', '朱建平', '13857336217'),
 ('WH-GZ-01',  '广州番禺中心仓',     (SELECT id FROM companies WHERE code = 'CC-GZ'),  (SELECT id FROM cities WHERE code = '440100'),
  '广州市番禺区石楼镇市莲路石楼段118号', '黎伟强', '13802451736'),
 ('WH-GZ-02',  '佛山南海周转仓',     (SELECT id FROM companies WHERE code = 'CC-GZ'),  (SELECT id FROM cities WHERE code = '440600'),
  '佛山市南海区狮山镇科技工业园北区兴业路9号', '冼家乐', '13925910482'),
 ('WH-SZN-01', '深圳龙岗中心仓',     (SELECT id FROM companies WHERE code = 'CC-SZN'), (SELECT id FROM cities WHERE code = '440300'),
  '深圳市龙岗区坪地街道坪西社区富地岗路26号', '徐芳', '13823607751'),
 ('WH-SZN-02', '东莞松山湖周转仓',   (SELECT id FROM companies WHERE code = 'CC-SZN'), (SELECT id FROM cities WHERE code = '441900'),
  '东莞市松山湖工业东路18号厂房1楼', '叶志强', '13790238864'),
 ('WH-CD-01',  '成都双流中心仓',     (SELECT id FROM companies WHERE code = 'CC-CD'),  (SELECT id FROM cities WHERE code = '510100'),
  '成都市双流区西航港大道中四段966号', '李娜', '13880652397'),
 ('WH-CD-02',  '绵阳涪城周转仓',     (SELECT id FROM companies WHERE code = 'CC-CD'),  (SELECT id FROM cities WHERE code = '510700'),
  '绵阳市涪城区塘汛镇三星路27号', '蒲勇', '13981127460'),
 ('WH-WH-01',  '武汉东西湖中心仓',   (SELECT id FROM companies WHERE code = 'CC-WH'),  (SELECT id FROM cities WHERE code = '420100'),
  '武汉市东西湖区金银湖街道新城十一路29号', '程亮', '13871469025'),
 ('WH-XA-01',  '西安高新中心仓',     (SELECT id FROM companies WHERE code = 'CC-XA'),  (SELECT id FROM cities WHERE code = '610100'),
  '西安市高新区草堂科技产业基地秦岭大道西18号', '王涛', '13891854372'),
 ('WH-NJ-01',  '南京江宁中心仓',     (SELECT id FROM companies WHERE code = 'CC-NJ'),  (SELECT id FROM cities WHERE code = '320100'),
  '南京市江宁区秣陵街道蓝霞路101号', '丁晓明', '13951780246'),
 ('WH-NJ-02',  '扬州邗江周转仓',     (SELECT id FROM companies WHERE code = 'CC-NJ'),  (SELECT id FROM cities WHERE code = '321000'),
  '扬州市邗江区维扬路519号', '戴春生', '13852706613'),
 ('WH-ZZ-01',  '郑州经开中心仓',     (SELECT id FROM companies WHERE code = 'CC-ZZ'),  (SELECT id FROM cities WHERE code = '410100'),
  '郑州市经济技术开发区第八大街156号', '申国伟', '13938251670'),
 ('WH-CS-01',  '长沙雨花中心仓',     (SELECT id FROM companies WHERE code = 'CC-CS'),  (SELECT id FROM cities WHERE code = '430100'),
  '长沙市雨花区环保中路188号', '易小军', '13975128649'),
 ('WH-QD-01',  '青岛城阳中心仓',     (SELECT id FROM companies WHERE code = 'CC-QD'),  (SELECT id FROM cities WHERE code = '370200'),
  '青岛市城阳区流亭街道双元路57号', '孙立国', '13864271938'),
 ('WH-HF-01',  '合肥新站中心仓',     (SELECT id FROM companies WHERE code = 'CC-HF'),  (SELECT id FROM cities WHERE code = '340100'),
  '合肥市新站区魏武路与文忠路交口东南角', '储俊', '13956072481');

-- ------------------------------------------------------------ users
-- Staff belong to the head office or a city company; supplier users to one
-- supplier company and no company.

INSERT INTO users (username, name, password_hash, role_id, company_id, supplier_id, phone, email, lang, enabled) VALUES
 ('admin',       '系统管理员', '@DEMO@', (SELECT id FROM roles WHERE code = 'admin'),
  (SELECT id FROM companies WHERE code = 'HQ'), NULL, '13800000001', 'admin@lantu-demo.example.com', 'zh-CN', 1),
 ('leader',      '赵国栋', '@DEMO@', (SELECT id FROM roles WHERE code = 'leader'),
  (SELECT id FROM companies WHERE code = 'HQ'), NULL, '13813862501', 'zhao.guodong@lantu-demo.example.com', 'zh-CN', 1),
 ('ops',         '孙浩', '@DEMO@', (SELECT id FROM roles WHERE code = 'ops'),
  (SELECT id FROM companies WHERE code = 'HQ'), NULL, '13851927634', 'sun.hao@lantu-demo.example.com', 'zh-CN', 1),
 ('procurement', '周敏', '@DEMO@', (SELECT id FROM roles WHERE code = 'procurement'),
  (SELECT id FROM companies WHERE code = 'HQ'), NULL, '13770415286', 'zhou.min@lantu-demo.example.com', 'zh-CN', 1),
 ('finance',     '吴晓燕', '@DEMO@', (SELECT id FROM roles WHERE code = 'finance'),
  (SELECT id FROM companies WHERE code = 'HQ'), NULL, '13915862073', 'wu.xiaoyan@lantu-demo.example.com', 'zh-CN', 1),
 ('inspector',   '王磊', '@DEMO@', (SELECT id FROM roles WHERE code = 'inspector'),
  (SELECT id FROM companies WHERE code = 'CC-SZ'), NULL, '13862093415', 'wang.lei@lantu-demo.example.com', 'zh-CN', 1),
 ('warehouse',   '陈静', '@DEMO@', (SELECT id FROM roles WHERE code = 'warehouse'),
  (SELECT id FROM companies WHERE code = 'CC-SZ'), NULL, '13962150318', 'chen.jing@lantu-demo.example.com', 'zh-CN', 1),
 ('inspector2',  '刘洋', '@DEMO@', (SELECT id FROM roles WHERE code = 'inspector'),
  (SELECT id FROM companies WHERE code = 'CC-HZ'), NULL, '13858046127', 'liu.yang@lantu-demo.example.com', 'zh-CN', 1),
 ('supplier',    '郑凯', '@DEMO@', (SELECT id FROM roles WHERE code = 'supplier'),
  NULL, (SELECT id FROM companies WHERE code = 'MF-XC'), '13906137258', 'zheng.kai@xingchi-demo.example.com', 'zh-CN', 1),
 ('supplier2',   '何丽', '@DEMO@', (SELECT id FROM roles WHERE code = 'supplier'),
  NULL, (SELECT id FROM companies WHERE code = 'SP-HY'), '13776524908', 'he.li@hengyuan-demo.example.com', 'zh-CN', 1),
 ('zhang.wei',   '张伟', '@DEMO@', (SELECT id FROM roles WHERE code = 'inspector'),
  (SELECT id FROM companies WHERE code = 'CC-GZ'), NULL, '13826037419', 'zhang.wei@lantu-demo.example.com', 'zh-CN', 1),
 ('li.na',       '李娜', '@DEMO@', (SELECT id FROM roles WHERE code = 'warehouse'),
  (SELECT id FROM companies WHERE code = 'CC-CD'), NULL, '13880652397', 'li.na@lantu-demo.example.com', 'zh-CN', 1),
 ('huang.tao',   '黄涛', '@DEMO@', (SELECT id FROM roles WHERE code = 'ops'),
  (SELECT id FROM companies WHERE code = 'CC-WH'), NULL, '13807195364', 'huang.tao@lantu-demo.example.com', 'zh-CN', 1),
 ('xu.fang',     '徐芳', '@DEMO@', (SELECT id FROM roles WHERE code = 'warehouse'),
  (SELECT id FROM companies WHERE code = 'CC-SZN'), NULL, '13823607751', 'xu.fang@lantu-demo.example.com', 'zh-CN', 1),
 ('ma.jun',      '马骏', '@DEMO@', (SELECT id FROM roles WHERE code = 'inspector'),
  (SELECT id FROM companies WHERE code = 'CC-XA'), NULL, '13709182645', 'ma.jun@lantu-demo.example.com', 'zh-CN', 1),
 ('lin.hui',     '林辉', '@DEMO@', (SELECT id FROM roles WHERE code = 'inspector'),
  (SELECT id FROM companies WHERE code = 'CC-NJ'), NULL, '13605187293', 'lin.hui@lantu-demo.example.com', 'zh-CN', 1);

-- ------------------------------------------------------------ stations
-- About 300 stations, generated: every city gets 4-8 (its company's main city 9-12), numbered
-- ST-<city code>-<nn>.  Everything else follows from the city and the number n by fixed
-- arithmetic (k is the city code / 100), so every load gives the same rows:
--   name, address  <city><district><road>[<place>]充电站: the city's districts listed below,
--                  roads and places from ELT() lists, another road for each number of a city;
--   position       WGS-84, within ±0.05° lat and ±0.055° lng (under 8 km) of the city centre;
--   state          3 in 4 operating, the rest approved, building, suspended or closed, with
--                  the day each state reached was entered (2019 to 2026-11-23), and
--                  commissioned_on = operating_on for every station that has operated;
--   nature         own / joint / leased / managed (dictionary asset_nature);
--   owner          the city company; operator the city company, or the head office for some;
--   lease          about half rent their site from a lessor company (is_lessor = 1); ten of
--                  those leases end within 90 days after 2026-11-23, a few have ended;
--   staff          a person in charge and a mobile number.
-- Each station's city is covered by its company (the app's rule), and each station gets one
-- station_create event carrying its state, so the ledger check (db/verify.sql) agrees.

INSERT INTO stations (code, name, company_id, city_id, address, lat, lng, state,
                      approved_on, building_on, operating_on, suspended_on, closed_on,
                      asset_nature, owner_company_id, operator_company_id, expected_piles,
                      commissioned_on, lessor_id, lease_start, lease_end, staff, staff_phone, note)
SELECT code, name, company_id, city_id, address, lat, lng, state,
       approved_on, building_on, operating_on, suspended_on, closed_on,
       asset_nature, company_id,
       IF(asset_nature = 'managed' OR (n * 5 + k) % 7 = 0, (SELECT id FROM companies WHERE code = 'HQ'), company_id),
       expected_piles,
       operating_on,
       IF(leased, (SELECT id FROM companies WHERE code = IF((n + k DIV 2) % 3 = 0, 'LS-RX', 'LS-JH')), NULL),
       IF(leased, approved_on - INTERVAL (10 + n * 3) DAY, NULL),
       IF(leased, IF(state = 'closed', closed_on,
                     approved_on - INTERVAL (10 + n * 3) DAY + INTERVAL (10 + (n * 3 + k) % 8) YEAR), NULL),
       staff, staff_phone,
       CASE state WHEN 'suspended' THEN ELT(1 + n % 3, '配电线路改造，暂停运营', '场地方施工，临时停运', '设备升级改造中')
                  WHEN 'closed' THEN ELT(1 + n % 2, '场地收回，已撤站，设备已入库', '利用率低，已撤站')
                  WHEN 'building' THEN '施工中，预计年内投运' END
FROM (
  -- the days each state was entered, for the states this station has reached
  SELECT c.*, approved_on0 AS approved_on,
         IF(state = 'approved', NULL, building_on0) AS building_on,
         IF(state IN ('operating', 'suspended', 'closed'), operating_on0, NULL) AS operating_on,
         IF(state IN ('suspended', 'closed'), suspended_on0, NULL) AS suspended_on,
         IF(state = 'closed', suspended_on0 + INTERVAL (30 + (n * 17 + k) % 170) DAY, NULL) AS closed_on
  FROM (
    SELECT b.*, operating_on0 + INTERVAL (300 + (n * 53 + k) % 600) DAY AS suspended_on0
    FROM (
      SELECT a2.*, building_on0 + INTERVAL (60 + (n * 29 + k) % 120) DAY AS operating_on0
      FROM (
        SELECT a1.*, approved_on0 + INTERVAL (30 + (n * 11 + k) % 60) DAY AS building_on0
        FROM (
          SELECT a.*,
                 CASE state WHEN 'approved' THEN DATE '2026-03-02' + INTERVAL ((n * 37 + k) % 240) DAY
                            WHEN 'building' THEN DATE '2025-09-01' + INTERVAL ((n * 37 + k) % 200) DAY
                            ELSE DATE '2019-01-07' + INTERVAL ((n * 97 + k * 13) % 1500) DAY END AS approved_on0
          FROM (
            SELECT CONCAT('ST-', city_code, '-', LPAD(n, 2, '0')) AS code,
                   CONCAT(city_name, district, road, IF(n % 3 = 1, '', place), '充电站') AS name,
                   company_id, city_id,
                   CONCAT(province, city_name, '市', district, road, 8 + (n * 173 + k) % 990, '号') AS address,
                   ROUND(clat + ((n * 37 + k) % 101 - 50) * 0.001, 6) AS lat,
                   ROUND(clng + ((n * 53 + k * 3) % 101 - 50) * 0.0011, 6) AS lng,
                   CASE (n * 7 + k) % 20 WHEN 0 THEN 'approved' WHEN 1 THEN 'building' WHEN 2 THEN 'building'
                        WHEN 3 THEN 'suspended' WHEN 4 THEN 'closed' ELSE 'operating' END AS state,
                   ELT(1 + (n * 3 + k) % 10, 'own', 'own', 'own', 'own', 'own', 'own',
                       'joint', 'joint', 'leased', 'managed') AS asset_nature,
                   4 + (n * 11 + k) % 21 AS expected_piles,
                   IF((n * 7 + k) % 20 = 4, CRC32(CONCAT('lease/', city_code, '/', n)) % 4 = 0,
                      CRC32(CONCAT('lease/', city_code, '/', n)) % 2 = 0 OR (n * 3 + k) % 10 = 8) AS leased,
                   CONCAT(ELT(1 + (n * 7 + k) % 20, '王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周',
                              '徐', '孙', '马', '朱', '胡', '郭', '何', '林', '高', '罗'),
                          ELT(1 + (n * 11 + k * 3) % 24, '志强', '建国', '海燕', '晓峰', '丽娟', '伟', '磊', '静',
                              '涛', '敏', '军', '杰', '芳', '勇', '婷', '俊', '斌', '鹏', '慧', '超', '浩', '颖',
                              '明', '洁')) AS staff,
                   CONCAT(ELT(1 + (n + k) % 8, '138', '139', '137', '136', '135', '158', '159', '188'),
                          LPAD((n * 7919 + k * 104729) % 100000000, 8, '0')) AS staff_phone,
                   n, k
            FROM (
              SELECT ci.code AS city_code, ci.name AS city_name, ci.province, ci.company_id,
                     ci.id AS city_id, ci.lat AS clat, ci.lng AS clng, CAST(s.seq AS SIGNED) AS n, dl.k,
                     SUBSTRING_INDEX(SUBSTRING_INDEX(dl.list, ',',
                       1 + (s.seq * 5 + dl.k) % (1 + LENGTH(dl.list) - LENGTH(REPLACE(dl.list, ',', '')))), ',', -1) AS district,
                     ELT(1 + (s.seq * 7 + dl.k) % 16, '人民路', '中山路', '解放路', '建设路', '长江路', '新华路',
                         '和平路', '文化路', '科技路', '学府路', '滨江大道', '世纪大道', '工业大道', '迎宾大道',
                         '环城东路', '金融街') AS road,
                     ELT(1 + (s.seq * 5 + dl.k) % 12, '万达广场', '公交首末站', '高铁站停车场', '体育中心',
                         '市民中心', '科技园', '物流园', '汽车客运站', '会展中心', '大学城', '产业园',
                         '商业广场') AS place
              FROM cities ci
              JOIN (
                SELECT code, CAST(code AS SIGNED) DIV 100 AS k, big, list FROM (
                            SELECT '320500' AS code, 1 AS big, '工业园区,姑苏区,吴中区,相城区,虎丘区,吴江区' AS list
                  UNION ALL SELECT '320200', 0, '梁溪区,滨湖区,新吴区,锡山区,惠山区'
                  UNION ALL SELECT '320400', 0, '天宁区,钟楼区,新北区,武进区'
                  UNION ALL SELECT '330100', 1, '西湖区,滨江区,余杭区,萧山区,拱墅区,上城区'
                  UNION ALL SELECT '330600', 0, '越城区,柯桥区,上虞区'
                  UNION ALL SELECT '330400', 0, '南湖区,秀洲区,经开区'
                  UNION ALL SELECT '330500', 0, '吴兴区,南浔区,经开区'
                  UNION ALL SELECT '440100', 1, '天河区,越秀区,海珠区,番禺区,白云区,黄埔区'
                  UNION ALL SELECT '440600', 0, '禅城区,南海区,顺德区'
                  UNION ALL SELECT '442000', 0, '石岐街道,东区街道,火炬开发区'
                  UNION ALL SELECT '440400', 0, '香洲区,金湾区,斗门区'
                  UNION ALL SELECT '440300', 1, '南山区,福田区,罗湖区,宝安区,龙岗区,龙华区'
                  UNION ALL SELECT '441900', 0, '南城街道,东城街道,松山湖,长安镇'
                  UNION ALL SELECT '441300', 0, '惠城区,惠阳区,仲恺高新区'
                  UNION ALL SELECT '510100', 1, '武侯区,锦江区,青羊区,金牛区,成华区,高新区'
                  UNION ALL SELECT '510600', 0, '旌阳区,罗江区,经开区'
                  UNION ALL SELECT '510700', 0, '涪城区,游仙区,高新区'
                  UNION ALL SELECT '511400', 0, '东坡区,彭山区,经开区'
                  UNION ALL SELECT '420100', 1, '洪山区,江汉区,武昌区,江岸区,东湖高新区,汉阳区'
                  UNION ALL SELECT '420900', 0, '孝南区,高新区'
                  UNION ALL SELECT '420200', 0, '黄石港区,下陆区,西塞山区'
                  UNION ALL SELECT '610100', 1, '雁塔区,碑林区,未央区,新城区,高新区,长安区'
                  UNION ALL SELECT '610400', 0, '秦都区,渭城区'
                  UNION ALL SELECT '610300', 0, '渭滨区,金台区,陈仓区'
                  UNION ALL SELECT '320100', 1, '鼓楼区,玄武区,建邺区,秦淮区,江宁区,栖霞区'
                  UNION ALL SELECT '321100', 0, '京口区,润州区,丹徒区'
                  UNION ALL SELECT '321000', 0, '广陵区,邗江区,江都区'
                  UNION ALL SELECT '321200', 0, '海陵区,高港区,姜堰区'
                  UNION ALL SELECT '410100', 1, '金水区,二七区,中原区,管城区,郑东新区,惠济区'
                  UNION ALL SELECT '410200', 0, '鼓楼区,龙亭区,顺河区'
                  UNION ALL SELECT '410300', 0, '西工区,涧西区,洛龙区,老城区'
                  UNION ALL SELECT '410700', 0, '红旗区,卫滨区,牧野区'
                  UNION ALL SELECT '430100', 1, '岳麓区,芙蓉区,天心区,开福区,雨花区'
                  UNION ALL SELECT '430200', 0, '天元区,芦淞区,荷塘区,石峰区'
                  UNION ALL SELECT '430300', 0, '雨湖区,岳塘区'
                  UNION ALL SELECT '370200', 1, '市南区,市北区,崂山区,李沧区,黄岛区,城阳区'
                  UNION ALL SELECT '370600', 0, '芝罘区,莱山区,福山区'
                  UNION ALL SELECT '370700', 0, '奎文区,潍城区,高新区'
                  UNION ALL SELECT '340100', 1, '蜀山区,包河区,庐阳区,瑶海区,经开区,高新区'
                  UNION ALL SELECT '340200', 0, '镜湖区,弋江区,鸠江区'
                  UNION ALL SELECT '340500', 0, '花山区,雨山区,博望区'
                ) districts
              ) dl ON dl.code = ci.code
              JOIN seq_1_to_12 s ON s.seq <= IF(dl.big, 9 + (dl.k DIV 3) % 4, 4 + (dl.k * 7) % 5)
            ) base
          ) a
        ) a1
      ) a2
    ) b
  ) c
) d
ORDER BY code;

-- Ten leases running out within 90 days after 2026-11-23, and three already past their end
-- (stations still operating there: the renewal is overdue).
UPDATE stations SET lease_end = DATE '2026-11-23' + INTERVAL (5 + id % 80) DAY
WHERE code LIKE 'ST-______-__' AND lessor_id IS NOT NULL AND state IN ('operating', 'suspended')
ORDER BY CRC32(code) LIMIT 10;
UPDATE stations SET lease_end = DATE '2026-11-23' - INTERVAL (10 + id % 50) DAY,
                    note = '场地租约已到期，续租洽谈中'
WHERE code LIKE 'ST-______-__' AND lessor_id IS NOT NULL AND state = 'operating'
  AND lease_end > DATE '2027-03-01'
ORDER BY CRC32(code) DESC LIMIT 3;

-- The ledger: one creation event per station, at the day it was approved, carrying its
-- present state (the seed stands for history kept before this system).
INSERT INTO asset_events (at, kind, station_id, from_state, to_state, user_id, request_id)
SELECT approved_on, 'station_create', id, NULL, state, NULL, 'demo-seed'
FROM stations WHERE code LIKE 'ST-______-__' ORDER BY id;

-- ------------------------------------------------------------ station facilities
-- About 400 sub-assets over the stations past approval: cables (length), canopies (area),
-- transformers (capacity), low-voltage/monitoring works and civil works (contractor, cost),
-- each with its contractor, cost and completion day (before the station started operating;
-- some works of stations still being built are not finished).  Which station has which kind
-- is decided by CRC32 of its code and the kind.

INSERT INTO sub_assets (station_id, kind, name, model, length_m, area_m2, capacity_kva,
                        contractor, cost, completed_on, note)
SELECT id, kind,
       CASE kind
         WHEN 'cable' THEN ELT(1 + h % 3, '箱变至充电堆主进线电缆', '充电桩配电电缆', '10kV进线电缆')
         WHEN 'canopy' THEN ELT(1 + h % 2, '钢结构充电雨棚', '光伏一体化车棚')
         WHEN 'transformer' THEN ELT(1 + h % 2, '箱式变电站', '美式箱变')
         WHEN 'lv_works' THEN ELT(1 + h % 3, '视频监控及门禁系统', '场站网络及能源管理系统', '车牌识别及道闸系统')
         ELSE ELT(1 + h % 3, '场地硬化及车位划线', '配电房基础及电缆沟', '充电桩基础及防撞设施') END,
       CASE kind
         WHEN 'cable' THEN ELT(1 + h % 3, 'YJV22-0.6/1kV-3x95+1x50', 'YJV22-0.6/1kV-3x50+2x25', 'YJV22-8.7/15kV-3x70')
         WHEN 'transformer' THEN CONCAT(IF(h % 2 = 0, 'YBM-10/0.4-', 'ZGS11-10/0.4-'), kva, 'kVA') END,
       IF(kind = 'cable', 40 + h % 420 + (h % 4) * 0.25, NULL),
       IF(kind = 'canopy', expected_piles * (14 + h % 7) + (h % 10) * 0.5, NULL),
       IF(kind = 'transformer', kva, NULL),
       CASE kind
         WHEN 'cable' THEN ELT(1 + h % 3, '诚远电力安装工程有限公司', '海川机电安装有限公司', '华拓电气工程有限公司')
         WHEN 'canopy' THEN ELT(1 + h % 2, '明拓钢结构工程有限公司', '晶耀光伏科技有限公司')
         WHEN 'transformer' THEN ELT(1 + h % 2, '诚远电力安装工程有限公司', '华拓电气工程有限公司')
         WHEN 'lv_works' THEN ELT(1 + h % 3, '青禾智能科技有限公司', '安澜安防工程有限公司', '卓信弱电工程有限公司')
         ELSE ELT(1 + h % 3, '正和建设集团有限公司', '瑞丰市政工程有限公司', '明拓建设工程有限公司') END,
       CASE kind
         WHEN 'cable' THEN ROUND((40 + h % 420) * ELT(1 + h % 3, 320, 180, 560), -1)
         WHEN 'canopy' THEN expected_piles * (14 + h % 7) * 650
         WHEN 'transformer' THEN kva * 420 + (h % 20) * 1000
         WHEN 'lv_works' THEN 25000 + (h % 90) * 1000
         ELSE 80000 + (h % 520) * 1000 END,
       CASE WHEN operating_on IS NOT NULL THEN operating_on - INTERVAL (5 + h % 25) DAY
            WHEN h % 2 = 0 THEN building_on + INTERVAL (20 + h % 30) DAY END,
       IF(h % 11 = 0, '竣工资料已归档', NULL)
FROM (
  SELECT st.id, st.expected_piles, st.building_on, st.operating_on, k.kind,
         CRC32(CONCAT(st.code, '/', k.kind)) AS h,
         ELT(LEAST(7, 1 + st.expected_piles DIV 4), 250, 400, 500, 630, 800, 1000, 1250) AS kva,
         ELT(k.seq, 40, 27, 23, 20, 23) AS pct
  FROM stations st
  JOIN (SELECT seq, ELT(seq, 'cable', 'canopy', 'transformer', 'lv_works', 'civil_works') AS kind
        FROM seq_1_to_5) k
  WHERE st.code LIKE 'ST-______-__' AND st.state <> 'approved'
) x
WHERE h % 100 < pct
ORDER BY id, kind;
