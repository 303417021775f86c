#!/usr/bin/env python3
"""Writes a call-centre dispatch CSV of N rows (for trying and timing
`repairdesk import`). Deterministic for a given --seed.

    scripts/gen-dispatch.py 1000000 -o dispatch.csv [--encoding gbk|utf-8|utf-8-sig] [--seed 1]
"""
import argparse
import csv
import datetime
import random

HEADER = ["维修单号", "报修时间", "用户姓名", "联系电话", "地址", "区县", "产品线", "机型",
          "主机号", "故障描述", "服务方式", "特殊用户", "催上门", "保修状态", "优先级", "备注"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹"
GIVEN = ["伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "建华", "志强", "海燕"]
DISTRICTS = {"海淀区": ["中关村大街", "学院路", "知春路"], "朝阳区": ["建国路", "望京街", "酒仙桥路"],
             "西城区": ["金融大街", "西直门内大街"], "丰台区": ["丰台北路", "马家堡东路"]}
PRODUCTS = {"ThinkPad": ["X1 Carbon Gen 11", "T14 Gen 4"], "昭阳": ["K4e-IML", "E5-ITL"],
            "扬天": ["M4000q", "V15-IIL"], "小新": ["Pro 14 2023", "Air 15"]}
FAULTS = ["开机无显示", "屏幕闪烁", "键盘部分按键失灵", "无法充电", "系统蓝屏", "风扇噪音大"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("rows", type=int)
    ap.add_argument("-o", "--output", required=True)
    ap.add_argument("--encoding", default="utf-8-sig", help="gbk, utf-8 or utf-8-sig (with BOM)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--start", default="2026-11-01 08:00", help="T1 of the first row")
    a = ap.parse_args()
    rng = random.Random(a.seed)
    t = datetime.datetime.strptime(a.start, "%Y-%m-%d %H:%M")
    step = datetime.timedelta(seconds=max(1, 20 * 86400 // max(a.rows, 1)))
    with open(a.output, "w", encoding=a.encoding, newline="") as f:
        w = csv.writer(f, lineterminator="\r\n")
        w.writerow(HEADER)
        for i in range(a.rows):
            district = rng.choice(list(DISTRICTS))
            line = rng.choice(list(PRODUCTS))
            onsite = rng.random() < 0.75
            w.writerow([
                f"G{i + 1:09d}",
                t.strftime("%Y-%m-%d %H:%M"),
                rng.choice(SURNAMES) + rng.choice(GIVEN),
                f"1{rng.choice('35789')}{rng.randrange(10**9):09d}",
                f"{rng.choice(DISTRICTS[district])}{rng.randrange(1, 200)}号" if onsite else "",
                district,
                line,
                rng.choice(PRODUCTS[line]),
                f"PF{rng.randrange(16**6):06X}",
                rng.choice(FAULTS),
                "上门" if onsite else "送修",
                "是" if rng.random() < 0.02 else "否",
                "",
                "保外" if rng.random() < 0.1 else "保内",
                "普通",
                "",
            ])
            t += step


if __name__ == "__main__":
    main()
