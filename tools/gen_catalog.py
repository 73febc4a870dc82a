#!/usr/bin/env python3
"""Deterministic seed-catalog generator for the OctaBlitz store.

Run from the repository root:

    python3 tools/gen_catalog.py

It (re)writes
  * migrations/seed/catalog.json
  * public/images/products/<product-slug>-<n>.svg   (n = 1..k, 2 <= k <= 5)
  * public/images/categories/<category-slug>.svg
and deletes stale SVGs in those two folders.  Standard library only; the
output is byte-identical on every run (all "randomness" comes from seeded
random.Random instances and SHA-256 hashes).  The script validates its own
output at the end and exits non-zero if any check fails.
"""

from __future__ import annotations

import colorsys
import datetime as dt
import hashlib
import json
import math
import os
import random
import re
import sys
import xml.etree.ElementTree as ET
from types import SimpleNamespace
from xml.sax.saxutils import escape

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CATALOG_PATH = os.path.join(ROOT, "migrations", "seed", "catalog.json")
PRODUCT_IMG_DIR = os.path.join(ROOT, "public", "images", "products")
CATEGORY_IMG_DIR = os.path.join(ROOT, "public", "images", "categories")

EXPECTED_PRODUCTS = 344
EXPECTED_CATEGORIES = 33
MAX_SVG_BYTES = 6 * 1024

# ---------------------------------------------------------------------------
# Categories: slug, name, description, sku prefix, specs
# spec = (key, label, kind, unit, facet)
# ---------------------------------------------------------------------------
T, N, B = "text", "number", "bool"

CATEGORIES = [
    ("cpus", "Processors", "Desktop CPUs from AMD and Intel for gaming rigs, workstations and budget builds.", "CPU", [
        ("socket", "Socket", T, None, True), ("cores", "Cores", N, None, True),
        ("threads", "Threads", N, None, False), ("boost_clock", "Boost Clock", N, "GHz", False),
        ("tdp", "TDP", N, "W", False), ("integrated_graphics", "Integrated Graphics", B, None, True)]),
    ("gpus", "Graphics Cards", "GeForce, Radeon and Arc graphics cards for everything from 1080p esports to maxed-out 4K.", "GPU", [
        ("chipset", "Chipset", T, None, True), ("vram", "Video Memory", N, "GB", True),
        ("memory_type", "Memory Type", T, None, True), ("tdp", "Board Power", N, "W", False),
        ("length", "Card Length", N, "mm", False)]),
    ("motherboards", "Motherboards", "AM5, AM4, LGA1700 and LGA1851 motherboards in ATX, Micro-ATX and Mini-ITX sizes.", "MB", [
        ("socket", "Socket", T, None, True), ("chipset", "Chipset", T, None, True),
        ("form_factor", "Form Factor", T, None, True), ("memory_type", "Memory Type", T, None, True),
        ("wifi", "Wi-Fi", B, None, False), ("nvme_slots", "M.2 Slots", N, None, False)]),
    ("memory", "Memory (RAM)", "DDR5 and DDR4 desktop memory kits tuned for gaming and content creation.", "RAM", [
        ("memory_type", "Memory Type", T, None, True), ("capacity", "Capacity", N, "GB", True),
        ("speed", "Speed", N, "MT/s", True), ("modules", "Modules", T, None, False),
        ("cas_latency", "CAS Latency", N, None, False), ("rgb", "RGB Lighting", B, None, False)]),
    ("ssds", "SSDs", "Blazing-fast NVMe and SATA solid state drives for games, apps and your operating system.", "SSD", [
        ("capacity", "Capacity", N, "GB", True), ("interface", "Interface", T, None, True),
        ("form_factor", "Form Factor", T, None, True), ("read_speed", "Sequential Read", N, "MB/s", False),
        ("write_speed", "Sequential Write", N, "MB/s", False), ("heatsink", "Heatsink", B, None, False)]),
    ("hdds", "Hard Drives", "High-capacity hard drives for desktop game libraries, NAS arrays and surveillance.", "HDD", [
        ("capacity", "Capacity", N, "TB", True), ("rpm", "Spindle Speed", N, "RPM", True),
        ("use_case", "Use Case", T, None, True), ("cache", "Cache", N, "MB", False),
        ("interface", "Interface", T, None, False)]),
    ("psus", "Power Supplies", "Efficient, reliable ATX and SFX power supplies with modern 12V-2x6 GPU support.", "PSU", [
        ("wattage", "Wattage", N, "W", True), ("efficiency", "Efficiency", T, None, True),
        ("modular", "Modularity", T, None, True), ("form_factor", "Form Factor", T, None, False),
        ("atx_version", "ATX Version", T, None, False)]),
    ("cases", "PC Cases", "Airflow-focused, showcase and small form factor PC cases for every kind of build.", "CASE", [
        ("form_factor", "Case Type", T, None, True), ("color", "Color", T, None, True),
        ("side_panel", "Side Panel", T, None, True), ("max_gpu_length", "Max GPU Length", N, "mm", False),
        ("included_fans", "Included Fans", N, None, False)]),
    ("cpu-coolers", "CPU Coolers", "Tower air coolers and all-in-one liquid coolers to keep your processor running cool and quiet.", "CLR", [
        ("cooler_type", "Cooler Type", T, None, True), ("fan_size", "Fan Size", N, "mm", True),
        ("rgb", "RGB Lighting", B, None, True), ("radiator_size", "Radiator Size", N, "mm", False),
        ("height", "Height", N, "mm", False), ("tdp_rating", "Cooling Capacity", N, "W", False)]),
    ("case-fans", "Case Fans", "Quiet, high-airflow 120 mm and 140 mm case fans, with or without RGB.", "FAN", [
        ("size", "Fan Size", N, "mm", True), ("pack_size", "Pack Size", N, None, True),
        ("rgb", "RGB Lighting", B, None, True), ("max_rpm", "Max Speed", N, "RPM", False),
        ("airflow", "Airflow", N, "CFM", False), ("noise", "Noise Level", N, "dBA", False)]),
    ("monitors", "Monitors", "High-refresh gaming monitors with OLED, IPS, VA and TN panels from 24 to 49 inches.", "MON", [
        ("size", "Screen Size", N, "in", True), ("resolution", "Resolution", T, None, True),
        ("refresh_rate", "Refresh Rate", N, "Hz", True), ("panel", "Panel Type", T, None, True),
        ("response_time", "Response Time", N, "ms", False), ("hdr", "HDR", T, None, False)]),
    ("keyboards", "Keyboards", "Mechanical, optical and Hall effect gaming keyboards in every size from full-size to 60%.", "KB", [
        ("switch_type", "Switch Type", T, None, True), ("layout", "Layout", T, None, True),
        ("wireless", "Wireless", B, None, True), ("rgb", "RGB Lighting", B, None, False),
        ("hot_swappable", "Hot-Swappable", B, None, False)]),
    ("mice", "Mice", "Ultralight wireless and wired gaming mice with flagship sensors.", "MSE", [
        ("wireless", "Wireless", B, None, True), ("shape", "Shape", T, None, True),
        ("dpi", "Max DPI", N, "DPI", True), ("weight", "Weight", N, "g", False),
        ("buttons", "Buttons", N, None, False)]),
    ("mousepads", "Mouse Pads", "Cloth, hybrid and glass mouse pads sized for every grip and sensitivity.", "PAD", [
        ("size", "Size", T, None, True), ("surface", "Surface", T, None, True),
        ("rgb", "RGB Lighting", B, None, True), ("dimensions", "Dimensions", T, None, False),
        ("thickness", "Thickness", N, "mm", False)]),
    ("headsets", "Headsets", "Wired and wireless gaming headsets with spatial audio and clear microphones.", "HS", [
        ("wireless", "Wireless", B, None, True), ("surround", "Surround", T, None, True),
        ("platform", "Platform", T, None, True), ("driver_size", "Driver Size", N, "mm", False),
        ("microphone", "Microphone", T, None, False), ("weight", "Weight", N, "g", False)]),
    ("webcams", "Webcams", "1080p and 4K webcams for streaming, video calls and content creation.", "CAM", [
        ("resolution", "Resolution", T, None, True), ("frame_rate", "Frame Rate", N, "fps", True),
        ("autofocus", "Autofocus", B, None, True), ("field_of_view", "Field of View", N, "°", False)]),
    ("microphones", "Microphones", "USB and XLR microphones for streaming, podcasting and crystal-clear voice chat.", "MIC", [
        ("connection", "Connection", T, None, True), ("mic_type", "Microphone Type", T, None, True),
        ("polar_pattern", "Polar Pattern", T, None, True), ("sample_rate", "Sample Rate", N, "kHz", False),
        ("bit_depth", "Bit Depth", N, "bit", False)]),
    ("speakers", "Speakers", "Desktop speakers, 2.1 systems and PC soundbars that bring games and music to life.", "SPK", [
        ("speaker_type", "Configuration", T, None, True), ("bluetooth", "Bluetooth", B, None, True),
        ("power", "Power Output", N, "W", False), ("rgb", "RGB Lighting", B, None, False)]),
    ("gaming-chairs", "Gaming Chairs", "Ergonomic gaming chairs with lumbar support for marathon sessions.", "CHR", [
        ("material", "Material", T, None, True), ("color", "Color", T, None, True),
        ("size", "Size", T, None, True), ("max_load", "Max Load", N, "lb", False),
        ("recline", "Max Recline", N, "°", False)]),
    ("desks", "Gaming Desks", "Fixed and height-adjustable gaming desks with room for multi-monitor setups.", "DSK", [
        ("shape", "Shape", T, None, True), ("width", "Width", N, "in", True),
        ("height_adjustable", "Height Adjustable", B, None, True), ("max_load", "Max Load", N, "lb", False),
        ("color", "Color", T, None, False)]),
    ("controllers", "Controllers", "Gamepads for PlayStation, Xbox, Nintendo Switch and PC.", "CTL", [
        ("platform", "Platform", T, None, True), ("wireless", "Wireless", B, None, True),
        ("hall_effect", "Hall Effect Sticks", B, None, True), ("battery_life", "Battery Life", N, "h", False)]),
    ("consoles", "Consoles", "PlayStation, Xbox and Nintendo consoles plus handheld gaming PCs.", "CON", [
        ("platform", "Platform", T, None, True), ("storage", "Storage", N, "GB", True),
        ("disc_drive", "Disc Drive", B, None, True), ("max_resolution", "Max Resolution", T, None, False)]),
    ("vr", "VR Headsets", "Standalone, PC and console virtual reality headsets.", "VR", [
        ("platform", "Platform", T, None, True), ("refresh_rate", "Refresh Rate", N, "Hz", True),
        ("tracking", "Tracking", T, None, True), ("resolution_per_eye", "Resolution per Eye", T, None, False),
        ("storage", "Storage", N, "GB", False)]),
    ("laptops", "Gaming Laptops", "Portable gaming laptops with GeForce RTX graphics and high-refresh displays.", "LAP", [
        ("gpu", "Graphics", T, None, True), ("screen_size", "Screen Size", N, "in", True),
        ("ram", "Memory", N, "GB", True), ("cpu", "Processor", T, None, False),
        ("storage", "Storage", N, "GB", False), ("refresh_rate", "Refresh Rate", N, "Hz", False),
        ("weight", "Weight", N, "lb", False)]),
    ("prebuilt-desktops", "Prebuilt Desktops", "Ready-to-play gaming PCs, assembled and tested by leading system builders.", "PC", [
        ("gpu", "Graphics", T, None, True), ("ram", "Memory", N, "GB", True),
        ("platform", "Platform", T, None, True), ("cpu", "Processor", T, None, False),
        ("storage", "Storage", N, "GB", False), ("os", "Operating System", T, None, False)]),
    ("routers", "Routers & Wi-Fi", "Wi-Fi 7, Wi-Fi 6E and mesh networking gear for lag-free online gaming.", "NET", [
        ("wifi_standard", "Wi-Fi Standard", T, None, True), ("bands", "Bands", T, None, True),
        ("mesh", "Mesh", B, None, True), ("max_speed", "Max Speed", N, "Mbps", False),
        ("wan_port", "WAN Port", T, None, False)]),
    ("nas", "NAS", "Network attached storage for backups, media servers and shared game libraries.", "NAS", [
        ("bays", "Drive Bays", N, None, True), ("network", "Network", T, None, True),
        ("cpu", "Processor", T, None, False), ("ram", "Memory", N, "GB", False),
        ("max_capacity", "Max Raw Capacity", N, "TB", False)]),
    ("capture-cards", "Capture Cards", "USB and PCIe capture cards for streaming and recording console and PC gameplay.", "CAP", [
        ("interface", "Interface", T, None, True), ("max_passthrough", "Max Passthrough", T, None, True),
        ("hdr", "HDR", B, None, True), ("max_record", "Max Recording", T, None, False)]),
    ("cables", "Cables & Adapters", "HDMI, DisplayPort, USB-C, Ethernet and PSU cables that get the most out of your gear.", "CBL", [
        ("cable_type", "Cable Type", T, None, True), ("length", "Length", N, "ft", True),
        ("standard", "Standard", T, None, False), ("braided", "Braided", B, None, False)]),
    ("thermal-paste", "Thermal Paste", "High-performance thermal compounds and liquid metal for CPUs and GPUs.", "TIM", [
        ("paste_type", "Type", T, None, True), ("weight", "Weight", N, "g", True),
        ("conductivity", "Thermal Conductivity", N, "W/mK", False),
        ("electrically_conductive", "Electrically Conductive", B, None, False)]),
    ("streaming-gear", "Streaming Gear", "Stream controllers, key lights and audio mixers to level up your broadcast.", "STR", [
        ("gear_type", "Type", T, None, True), ("connection", "Connection", T, None, True),
        ("keys", "Keys", N, None, False), ("power", "Power", N, "W", False)]),
    ("games", "Games", "The latest and greatest games for PC, PlayStation 5, Xbox Series X|S and Nintendo Switch.", "GAME", [
        ("platform", "Platform", T, None, True), ("genre", "Genre", T, None, True),
        ("age_rating", "ESRB Rating", T, None, True), ("release_year", "Release Year", N, None, False),
        ("edition", "Edition", T, None, False)]),
    ("software", "Software", "Operating systems, security suites and creative tools for your PC.", "SW", [
        ("software_type", "Type", T, None, True), ("platform", "Platform", T, None, True),
        ("license", "License", T, None, False), ("delivery", "Delivery", T, None, False)]),
]

# ---------------------------------------------------------------------------
# Products per category: (brand, name, price_usd, *spec values in spec order)
# None = non-facet spec omitted for that product.
# ---------------------------------------------------------------------------
PRODUCTS = {
    "cpus": [
        ("AMD", "AMD Ryzen 7 7800X3D", 449, "AM5", 8, 16, 5.0, 120, True),
        ("AMD", "AMD Ryzen 7 9800X3D", 479, "AM5", 8, 16, 5.2, 120, True),
        ("AMD", "AMD Ryzen 9 7950X3D", 599, "AM5", 16, 32, 5.7, 120, True),
        ("AMD", "AMD Ryzen 9 9950X", 649, "AM5", 16, 32, 5.7, 170, True),
        ("AMD", "AMD Ryzen 7 9700X", 359, "AM5", 8, 16, 5.5, 65, True),
        ("AMD", "AMD Ryzen 5 7600X", 229, "AM5", 6, 12, 5.3, 105, True),
        ("AMD", "AMD Ryzen 7 5800X3D", 329, "AM4", 8, 16, 4.5, 105, False),
        ("AMD", "AMD Ryzen 5 5600X", 159, "AM4", 6, 12, 4.6, 65, False),
        ("Intel", "Intel Core i9-14900K", 549, "LGA1700", 24, 32, 6.0, 125, True),
        ("Intel", "Intel Core i7-14700K", 409, "LGA1700", 20, 28, 5.6, 125, True),
        ("Intel", "Intel Core i5-14600K", 319, "LGA1700", 14, 20, 5.3, 125, True),
        ("Intel", "Intel Core i5-14400F", 199, "LGA1700", 10, 16, 4.7, 65, False),
        ("Intel", "Intel Core Ultra 9 285K", 589, "LGA1851", 24, 24, 5.7, 125, True),
        ("Intel", "Intel Core Ultra 7 265K", 394, "LGA1851", 20, 20, 5.5, 125, True),
    ],
    "gpus": [
        ("ASUS", "ASUS TUF Gaming GeForce RTX 4090 OC", 1799.99, "GeForce RTX 4090", 24, "GDDR6X", 450, 348),
        ("MSI", "MSI GeForce RTX 4090 Suprim X 24G", 1949.99, "GeForce RTX 4090", 24, "GDDR6X", 450, 336),
        ("NVIDIA", "NVIDIA GeForce RTX 4080 Super Founders Edition", 999.99, "GeForce RTX 4080 Super", 16, "GDDR6X", 320, 310),
        ("Gigabyte", "Gigabyte GeForce RTX 4080 Super Gaming OC", 1099.99, "GeForce RTX 4080 Super", 16, "GDDR6X", 320, 342),
        ("ASUS", "ASUS ROG Strix GeForce RTX 4070 Ti Super OC", 899.99, "GeForce RTX 4070 Ti Super", 16, "GDDR6X", 285, 336),
        ("MSI", "MSI GeForce RTX 4070 Ti Super Ventus 3X", 799.99, "GeForce RTX 4070 Ti Super", 16, "GDDR6X", 285, 308),
        ("Gigabyte", "Gigabyte GeForce RTX 4070 Super Windforce OC", 599.99, "GeForce RTX 4070 Super", 12, "GDDR6X", 220, 261),
        ("ASUS", "ASUS Dual GeForce RTX 4060 Ti 8GB", 389.99, "GeForce RTX 4060 Ti", 8, "GDDR6", 160, 227),
        ("MSI", "MSI GeForce RTX 4060 Ventus 2X Black", 299.99, "GeForce RTX 4060", 8, "GDDR6", 115, 199),
        ("Sapphire", "Sapphire Nitro+ Radeon RX 7900 XTX Vapor-X", 999.99, "Radeon RX 7900 XTX", 24, "GDDR6", 355, 320),
        ("XFX", "XFX Speedster MERC 310 Radeon RX 7900 XTX", 929.99, "Radeon RX 7900 XTX", 24, "GDDR6", 355, 344),
        ("PowerColor", "PowerColor Hellhound Radeon RX 7800 XT", 499.99, "Radeon RX 7800 XT", 16, "GDDR6", 263, 322),
        ("Sapphire", "Sapphire Pulse Radeon RX 7700 XT", 419.99, "Radeon RX 7700 XT", 12, "GDDR6", 245, 280),
        ("Intel", "Intel Arc B580 Limited Edition", 249.99, "Arc B580", 12, "GDDR6", 190, 272),
    ],
    "motherboards": [
        ("ASUS", "ASUS ROG Strix X670E-E Gaming WiFi", 449.99, "AM5", "X670E", "ATX", "DDR5", True, 4),
        ("MSI", "MSI MAG B650 Tomahawk WiFi", 219.99, "AM5", "B650", "ATX", "DDR5", True, 3),
        ("Gigabyte", "Gigabyte B650 AORUS Elite AX", 199.99, "AM5", "B650", "ATX", "DDR5", True, 3),
        ("ASRock", "ASRock B650M Pro RS WiFi", 149.99, "AM5", "B650", "Micro-ATX", "DDR5", True, 3),
        ("ASUS", "ASUS ROG Strix B650-I Gaming WiFi", 289.99, "AM5", "B650", "Mini-ITX", "DDR5", True, 2),
        ("MSI", "MSI MPG X870E Carbon WiFi", 499.99, "AM5", "X870E", "ATX", "DDR5", True, 4),
        ("ASUS", "ASUS TUF Gaming Z790-Plus WiFi", 249.99, "LGA1700", "Z790", "ATX", "DDR5", True, 4),
        ("MSI", "MSI PRO Z790-A MAX WiFi", 229.99, "LGA1700", "Z790", "ATX", "DDR5", True, 4),
        ("Gigabyte", "Gigabyte B760M DS3H DDR4", 109.99, "LGA1700", "B760", "Micro-ATX", "DDR4", False, 2),
        ("ASUS", "ASUS ROG Maximus Z890 Hero", 629.99, "LGA1851", "Z890", "ATX", "DDR5", True, 6),
        ("Gigabyte", "Gigabyte Z890 AORUS Elite WiFi7", 309.99, "LGA1851", "Z890", "ATX", "DDR5", True, 4),
        ("MSI", "MSI MAG B550 Tomahawk", 159.99, "AM4", "B550", "ATX", "DDR4", False, 2),
    ],
    "memory": [
        ("Corsair", "Corsair Vengeance DDR5-6000 32GB", 104.99, "DDR5", 32, 6000, "2 x 16GB", 30, False),
        ("Corsair", "Corsair Vengeance RGB DDR5-6000 64GB", 199.99, "DDR5", 64, 6000, "2 x 32GB", 30, True),
        ("Corsair", "Corsair Dominator Titanium DDR5-6600 32GB", 184.99, "DDR5", 32, 6600, "2 x 16GB", 32, True),
        ("G.Skill", "G.Skill Trident Z5 RGB DDR5-6400 32GB", 129.99, "DDR5", 32, 6400, "2 x 16GB", 32, True),
        ("G.Skill", "G.Skill Trident Z5 Neo RGB DDR5-6000 32GB", 119.99, "DDR5", 32, 6000, "2 x 16GB", 30, True),
        ("G.Skill", "G.Skill Flare X5 DDR5-6000 32GB", 94.99, "DDR5", 32, 6000, "2 x 16GB", 36, False),
        ("Kingston", "Kingston FURY Beast DDR5-5600 32GB", 89.99, "DDR5", 32, 5600, "2 x 16GB", 36, False),
        ("Kingston", "Kingston FURY Renegade RGB DDR5-7200 32GB", 159.99, "DDR5", 32, 7200, "2 x 16GB", 38, True),
        ("TeamGroup", "TeamGroup T-Force Delta RGB DDR5-6000 32GB White", 114.99, "DDR5", 32, 6000, "2 x 16GB", 30, True),
        ("Crucial", "Crucial Pro DDR5-5600 96GB", 239.99, "DDR5", 96, 5600, "2 x 48GB", 46, False),
        ("Corsair", "Corsair Vengeance LPX DDR4-3200 16GB", 39.99, "DDR4", 16, 3200, "2 x 8GB", 16, False),
        ("G.Skill", "G.Skill Ripjaws V DDR4-3600 32GB", 64.99, "DDR4", 32, 3600, "2 x 16GB", 18, False),
    ],
    "ssds": [
        ("Samsung", "Samsung 990 Pro 1TB", 99.99, 1000, "PCIe 4.0 NVMe", "M.2 2280", 7450, 6900, False),
        ("Samsung", "Samsung 990 Pro 2TB", 169.99, 2000, "PCIe 4.0 NVMe", "M.2 2280", 7450, 6900, False),
        ("Samsung", "Samsung 990 Pro 4TB with Heatsink", 339.99, 4000, "PCIe 4.0 NVMe", "M.2 2280", 7450, 6900, True),
        ("Samsung", "Samsung 870 EVO 1TB", 89.99, 1000, "SATA III", "2.5-inch", 560, 530, False),
        ("WD", "WD_BLACK SN850X 1TB with Heatsink", 99.99, 1000, "PCIe 4.0 NVMe", "M.2 2280", 7300, 6300, True),
        ("WD", "WD_BLACK SN850X 2TB", 149.99, 2000, "PCIe 4.0 NVMe", "M.2 2280", 7300, 6600, False),
        ("WD", "WD Blue SN580 1TB", 64.99, 1000, "PCIe 4.0 NVMe", "M.2 2280", 4150, 4150, False),
        ("Crucial", "Crucial T705 2TB with Heatsink", 319.99, 2000, "PCIe 5.0 NVMe", "M.2 2280", 14500, 12700, True),
        ("Crucial", "Crucial P3 Plus 2TB", 119.99, 2000, "PCIe 4.0 NVMe", "M.2 2280", 5000, 4200, False),
        ("Crucial", "Crucial MX500 2TB", 129.99, 2000, "SATA III", "2.5-inch", 560, 510, False),
        ("Kingston", "Kingston FURY Renegade 2TB", 159.99, 2000, "PCIe 4.0 NVMe", "M.2 2280", 7300, 7000, False),
        ("Sabrent", "Sabrent Rocket 4 Plus 4TB", 289.99, 4000, "PCIe 4.0 NVMe", "M.2 2280", 7100, 6600, False),
        ("Corsair", "Corsair MP700 Pro 2TB", 279.99, 2000, "PCIe 5.0 NVMe", "M.2 2280", 12400, 11800, True),
    ],
    "hdds": [
        ("Seagate", "Seagate BarraCuda 2TB", 64.99, 2, 7200, "Desktop", 256, "SATA 6Gb/s"),
        ("Seagate", "Seagate BarraCuda 4TB", 89.99, 4, 5400, "Desktop", 256, "SATA 6Gb/s"),
        ("Seagate", "Seagate IronWolf 8TB", 179.99, 8, 7200, "NAS", 256, "SATA 6Gb/s"),
        ("Seagate", "Seagate IronWolf Pro 16TB", 329.99, 16, 7200, "NAS", 256, "SATA 6Gb/s"),
        ("WD", "WD Red Plus 4TB", 99.99, 4, 5400, "NAS", 256, "SATA 6Gb/s"),
        ("WD", "WD Red Plus 8TB", 179.99, 8, 5640, "NAS", 256, "SATA 6Gb/s"),
        ("WD", "WD Blue 1TB", 49.99, 1, 7200, "Desktop", 64, "SATA 6Gb/s"),
        ("WD", "WD Purple 6TB", 129.99, 6, 5400, "Surveillance", 256, "SATA 6Gb/s"),
        ("Toshiba", "Toshiba X300 Performance 8TB", 169.99, 8, 7200, "Desktop", 256, "SATA 6Gb/s"),
    ],
    "psus": [
        ("Corsair", "Corsair RM850x (2024)", 139.99, 850, "80+ Gold", "Full", "ATX", "ATX 3.1"),
        ("Corsair", "Corsair RM1000x (2024)", 189.99, 1000, "80+ Gold", "Full", "ATX", "ATX 3.1"),
        ("Corsair", "Corsair SF750 Platinum", 184.99, 750, "80+ Platinum", "Full", "SFX", "ATX 3.1"),
        ("Corsair", "Corsair CX650M", 69.99, 650, "80+ Bronze", "Semi", "ATX", None),
        ("Seasonic", "Seasonic Focus GX-850", 139.99, 850, "80+ Gold", "Full", "ATX", "ATX 3.0"),
        ("Seasonic", "Seasonic Focus GX-750", 119.99, 750, "80+ Gold", "Full", "ATX", "ATX 3.0"),
        ("Seasonic", "Seasonic Prime TX-1300", 399.99, 1300, "80+ Titanium", "Full", "ATX", "ATX 3.0"),
        ("be quiet!", "be quiet! Dark Power 13 1000W", 299.99, 1000, "80+ Titanium", "Full", "ATX", "ATX 3.0"),
        ("be quiet!", "be quiet! Pure Power 12 M 750W", 114.99, 750, "80+ Gold", "Full", "ATX", "ATX 3.0"),
        ("MSI", "MSI MAG A650BN", 59.99, 650, "80+ Bronze", "Non-modular", "ATX", None),
        ("Thermaltake", "Thermaltake Toughpower GF A3 1050W", 159.99, 1050, "80+ Gold", "Full", "ATX", "ATX 3.0"),
    ],
    "cases": [
        ("Fractal Design", "Fractal Design North Charcoal Black", 139.99, "Mid Tower", "Black", "Tempered Glass", 355, 2),
        ("Fractal Design", "Fractal Design North Chalk White Mesh", 139.99, "Mid Tower", "White", "Mesh", 355, 2),
        ("Fractal Design", "Fractal Design Terra Jade", 179.99, "Mini-ITX", "Green", "Mesh", 322, 0),
        ("Lian Li", "Lian Li O11 Dynamic EVO", 159.99, "Mid Tower", "Black", "Tempered Glass", 426, 0),
        ("Lian Li", "Lian Li O11 Dynamic EVO White", 164.99, "Mid Tower", "White", "Tempered Glass", 426, 0),
        ("Lian Li", "Lian Li Lancool 216", 99.99, "Mid Tower", "Black", "Tempered Glass", 392, 3),
        ("NZXT", "NZXT H9 Flow White", 159.99, "Mid Tower", "White", "Tempered Glass", 435, 4),
        ("NZXT", "NZXT H5 Flow", 94.99, "Mid Tower", "Black", "Tempered Glass", 365, 2),
        ("Corsair", "Corsair 4000D Airflow", 104.99, "Mid Tower", "Black", "Tempered Glass", 360, 2),
        ("Corsair", "Corsair 7000D Airflow", 239.99, "Full Tower", "Black", "Tempered Glass", 450, 3),
        ("Cooler Master", "Cooler Master MasterBox NR200P", 99.99, "Mini-ITX", "Black", "Tempered Glass", 330, 2),
    ],
    "cpu-coolers": [
        ("Noctua", "Noctua NH-D15 G2", 149.95, "Air", 140, False, None, 168, 250),
        ("Noctua", "Noctua NH-D15 chromax.black", 119.95, "Air", 140, False, None, 165, 250),
        ("Noctua", "Noctua NH-U12S redux", 49.95, "Air", 120, False, None, 158, 180),
        ("be quiet!", "be quiet! Dark Rock Pro 5", 99.90, "Air", 135, False, None, 168, 270),
        ("Thermalright", "Thermalright Peerless Assassin 120 SE", 35.90, "Air", 120, False, None, 155, 245),
        ("DeepCool", "DeepCool AK620 Digital", 74.99, "Air", 120, True, None, 162, 260),
        ("Arctic", "Arctic Liquid Freezer III 360", 99.99, "AIO Liquid", 120, False, 360, None, 300),
        ("Corsair", "Corsair iCUE H150i Elite LCD XT", 279.99, "AIO Liquid", 120, True, 360, None, 300),
        ("NZXT", "NZXT Kraken Elite 360 RGB", 299.99, "AIO Liquid", 120, True, 360, None, 300),
        ("Lian Li", "Lian Li Galahad II Trinity 240", 129.99, "AIO Liquid", 120, True, 240, None, 250),
        ("be quiet!", "be quiet! Silent Loop 3 280", 139.90, "AIO Liquid", 140, False, 280, None, 280),
    ],
    "case-fans": [
        ("Noctua", "Noctua NF-A12x25 PWM", 32.95, 120, 1, False, 2000, 60.1, 22.6),
        ("Noctua", "Noctua NF-A14 PWM chromax.black", 29.95, 140, 1, False, 1500, 82.5, 24.6),
        ("Arctic", "Arctic P12 PWM PST 5-Pack", 32.99, 120, 5, False, 1800, 56.3, 22.5),
        ("Arctic", "Arctic P14 PWM PST", 9.99, 140, 1, False, 1700, 72.8, 24.0),
        ("Lian Li", "Lian Li UNI FAN SL-Infinity 120 3-Pack", 89.99, 120, 3, True, 2100, 61.3, 29.0),
        ("Corsair", "Corsair iCUE LINK QX120 RGB 3-Pack", 139.99, 120, 3, True, 2400, 63.1, 37.0),
        ("be quiet!", "be quiet! Silent Wings 4 140mm PWM", 29.90, 140, 1, False, 1100, 68.2, 15.1),
        ("Phanteks", "Phanteks T30-120", 34.99, 120, 1, False, 3000, 101.0, 44.7),
        ("Cooler Master", "Cooler Master SickleFlow 120 ARGB 3-Pack", 29.99, 120, 3, True, 1800, 62.0, 27.0),
    ],
    "monitors": [
        ("LG", "LG UltraGear 27GR95QE-B", 799.99, 27, "2560x1440", 240, "OLED", 0.03, "HDR True Black 400"),
        ("LG", "LG UltraGear 32GS95UE-B", 1399.99, 32, "3840x2160", 240, "OLED", 0.03, "HDR True Black 400"),
        ("LG", "LG UltraGear 27GP850-B", 349.99, 27, "2560x1440", 180, "IPS", 1, "HDR400"),
        ("Dell", "Dell Alienware AW3423DWF", 899.99, 34, "3440x1440", 165, "QD-OLED", 0.1, "HDR True Black 400"),
        ("Dell", "Dell Alienware AW2725DF", 899.99, 27, "2560x1440", 360, "QD-OLED", 0.03, "HDR True Black 400"),
        ("Samsung", "Samsung Odyssey OLED G9 G95SC", 1599.99, 49, "5120x1440", 240, "QD-OLED", 0.03, "HDR True Black 400"),
        ("Samsung", "Samsung Odyssey G5 27", 249.99, 27, "2560x1440", 165, "VA", 1, "HDR10"),
        ("ASUS", "ASUS ROG Swift PG27AQDM", 899.99, 27, "2560x1440", 240, "OLED", 0.03, "HDR True Black 400"),
        ("ASUS", "ASUS TUF Gaming VG27AQ3A", 229.99, 27, "2560x1440", 180, "IPS", 1, "HDR10"),
        ("MSI", "MSI MAG 274QRF QD E2", 279.99, 27, "2560x1440", 180, "IPS", 1, "HDR Ready"),
        ("MSI", "MSI MPG 321URX QD-OLED", 949.99, 32, "3840x2160", 240, "QD-OLED", 0.03, "HDR True Black 400"),
        ("ZOWIE", "BenQ ZOWIE XL2546K", 399.99, 24.5, "1920x1080", 240, "TN", 1, None),
        ("Gigabyte", "Gigabyte M27Q X", 399.99, 27, "2560x1440", 240, "IPS", 1, "HDR400"),
        ("AOC", "AOC 24G2SP", 149.99, 24, "1920x1080", 165, "IPS", 1, None),
    ],
    "keyboards": [
        ("Logitech", "Logitech G915 X Lightspeed TKL", 229.99, "Low Profile", "TKL", True, True, False),
        ("Logitech", "Logitech G Pro X TKL Lightspeed", 199.99, "Tactile", "TKL", True, True, False),
        ("Razer", "Razer BlackWidow V4 Pro", 229.99, "Clicky", "Full-size", False, True, False),
        ("Razer", "Razer Huntsman V3 Pro TKL", 249.99, "Optical", "TKL", False, True, False),
        ("Razer", "Razer DeathStalker V2 Pro", 249.99, "Low Profile", "Full-size", True, True, False),
        ("SteelSeries", "SteelSeries Apex Pro TKL (2023)", 189.99, "Hall Effect", "TKL", False, True, False),
        ("SteelSeries", "SteelSeries Apex Pro Mini Wireless", 239.99, "Hall Effect", "60%", True, True, False),
        ("Corsair", "Corsair K70 RGB Pro", 159.99, "Linear", "Full-size", False, True, False),
        ("Corsair", "Corsair K65 Plus Wireless", 159.99, "Linear", "75%", True, True, True),
        ("Wooting", "Wooting 60HE+", 174.99, "Hall Effect", "60%", False, True, True),
        ("Keychron", "Keychron Q1 Pro", 199.99, "Tactile", "75%", True, True, True),
        ("HyperX", "HyperX Alloy Origins 65", 69.99, "Linear", "65%", False, True, False),
        ("ASUS", "ASUS ROG Azoth", 249.99, "Linear", "75%", True, True, True),
    ],
    "mice": [
        ("Logitech", "Logitech G Pro X Superlight 2", 159.99, True, "Symmetrical", 32000, 60, 5),
        ("Logitech", "Logitech G Pro X Superlight 2 White", 159.99, True, "Symmetrical", 32000, 60, 5),
        ("Logitech", "Logitech G502 X Plus", 159.99, True, "Ergonomic", 25600, 106, 13),
        ("Logitech", "Logitech G305 Lightspeed", 39.99, True, "Symmetrical", 12000, 99, 6),
        ("Razer", "Razer DeathAdder V3 Pro", 149.99, True, "Ergonomic", 30000, 63, 5),
        ("Razer", "Razer Viper V3 Pro", 159.99, True, "Symmetrical", 35000, 54, 6),
        ("Razer", "Razer Basilisk V3", 69.99, False, "Ergonomic", 26000, 101, 11),
        ("SteelSeries", "SteelSeries Aerox 5 Wireless", 139.99, True, "Ergonomic", 18000, 74, 9),
        ("SteelSeries", "SteelSeries Rival 3", 29.99, False, "Ergonomic", 8500, 77, 6),
        ("ZOWIE", "ZOWIE EC2-CW", 149.99, True, "Ergonomic", 3200, 77, 5),
        ("Pulsar", "Pulsar X2 Wireless", 89.95, True, "Symmetrical", 26000, 52, 5),
        ("Lamzu", "Lamzu Atlantis OG V2 4K", 119.99, True, "Symmetrical", 26000, 55, 5),
        ("HyperX", "HyperX Pulsefire Haste 2 Wireless", 79.99, True, "Symmetrical", 26000, 61, 6),
    ],
    "mousepads": [
        ("SteelSeries", "SteelSeries QcK Heavy XXL", 39.99, "XXL", "Cloth", False, "900 x 400 mm", 6),
        ("SteelSeries", "SteelSeries QcK Prism XL", 59.99, "XL", "Cloth", True, "900 x 300 mm", 4),
        ("Razer", "Razer Gigantus V2 XXL", 29.99, "XXL", "Cloth", False, "940 x 410 mm", 4),
        ("Razer", "Razer Strider Large", 39.99, "Large", "Hybrid", False, "450 x 400 mm", 3),
        ("Logitech", "Logitech G640", 29.99, "Large", "Cloth", False, "460 x 400 mm", 3),
        ("Artisan", "Artisan FX Hayate Otsu XL", 64.00, "XL", "Cloth", False, "490 x 420 mm", 4),
        ("Corsair", "Corsair MM700 RGB Extended", 59.99, "XL", "Cloth", True, "930 x 400 mm", 4),
        ("SkyPAD", "SkyPAD Glass 3.0 XL", 89.99, "XL", "Glass", False, "500 x 400 mm", 4),
    ],
    "headsets": [
        ("SteelSeries", "SteelSeries Arctis Nova Pro Wireless", 349.99, True, "Spatial", "Multi-platform", 40, "Retractable", 337),
        ("SteelSeries", "SteelSeries Arctis Nova 7 Wireless", 179.99, True, "Spatial", "Multi-platform", 40, "Retractable", 325),
        ("Logitech", "Logitech G Pro X 2 Lightspeed", 249.99, True, "7.1 Virtual", "Multi-platform", 50, "Detachable", 345),
        ("HyperX", "HyperX Cloud III Wireless", 169.99, True, "Spatial", "Multi-platform", 53, "Detachable", 326),
        ("HyperX", "HyperX Cloud Alpha", 99.99, False, "Stereo", "Multi-platform", 50, "Detachable", 336),
        ("HyperX", "HyperX Cloud II", 79.99, False, "7.1 Virtual", "PC", 53, "Detachable", 320),
        ("Razer", "Razer BlackShark V2 Pro (2023)", 199.99, True, "Spatial", "PC", 50, "Detachable", 320),
        ("Razer", "Razer Kraken V4", 149.99, True, "Spatial", "PC", 40, "Retractable", 304),
        ("Corsair", "Corsair HS80 RGB Wireless", 149.99, True, "Spatial", "PC", 50, "Flip-to-mute", 367),
        ("Corsair", "Corsair Virtuoso RGB Wireless XT", 269.99, True, "Spatial", "Multi-platform", 50, "Detachable", 404),
        ("Sony", "Sony INZONE H9", 299.99, True, "Spatial", "PlayStation", 40, "Flip-to-mute", 330),
        ("Audeze", "Audeze Maxwell", 299.00, True, "Spatial", "PlayStation", 90, "Detachable", 490),
    ],
    "webcams": [
        ("Logitech", "Logitech C920s Pro HD", 69.99, "1080p", 30, True, 78),
        ("Logitech", "Logitech StreamCam", 129.99, "1080p", 60, True, 78),
        ("Logitech", "Logitech Brio 4K", 199.99, "4K", 30, True, 90),
        ("Razer", "Razer Kiyo Pro", 129.99, "1080p", 60, True, 103),
        ("Elgato", "Elgato Facecam MK.2", 149.99, "1080p", 60, False, 84),
        ("Elgato", "Elgato Facecam Pro", 299.99, "4K", 60, True, 90),
        ("Insta360", "Insta360 Link", 299.99, "4K", 30, True, 80),
        ("Anker", "Anker PowerConf C200", 59.99, "2K", 30, True, 95),
    ],
    "microphones": [
        ("Shure", "Shure SM7B", 399.00, "XLR", "Dynamic", "Cardioid", None, None),
        ("Shure", "Shure MV7+", 279.00, "USB/XLR", "Dynamic", "Cardioid", 48, 24),
        ("Rode", "Rode PodMic USB", 199.00, "USB/XLR", "Dynamic", "Cardioid", 48, 24),
        ("Rode", "Rode PodMic", 99.00, "XLR", "Dynamic", "Cardioid", None, None),
        ("Rode", "Rode NT-USB+", 169.00, "USB", "Condenser", "Cardioid", 48, 24),
        ("Elgato", "Elgato Wave:3", 149.99, "USB", "Condenser", "Cardioid", 96, 24),
        ("HyperX", "HyperX QuadCast S", 159.99, "USB", "Condenser", "Multi-pattern", 48, 16),
        ("Blue", "Blue Yeti", 129.99, "USB", "Condenser", "Multi-pattern", 48, 16),
        ("Audio-Technica", "Audio-Technica AT2020", 99.00, "XLR", "Condenser", "Cardioid", None, None),
    ],
    "speakers": [
        ("Logitech", "Logitech G560 LIGHTSYNC", 199.99, "2.1", True, 120, True),
        ("Logitech", "Logitech Z623", 149.99, "2.1", False, 200, False),
        ("Razer", "Razer Leviathan V2", 249.99, "Soundbar", True, 90, True),
        ("Creative", "Creative Pebble V3", 39.99, "2.0", True, 16, False),
        ("Creative", "Creative Sound BlasterX Katana V2", 299.99, "Soundbar", True, 90, True),
        ("Edifier", "Edifier R1280DB", 129.99, "2.0", True, 42, False),
        ("Audioengine", "Audioengine A2+ Wireless", 269.00, "2.0", True, 60, False),
        ("SteelSeries", "SteelSeries Arena 7", 299.99, "2.1", True, 100, True),
    ],
    "gaming-chairs": [
        ("Secretlab", "Secretlab Titan Evo Regular", 549.00, "PU Leather", "Black", "Regular", 287, 165),
        ("Secretlab", "Secretlab Titan Evo XL", 649.00, "PU Leather", "Black", "XL", 395, 165),
        ("Secretlab", "Secretlab Titan Evo SoftWeave Plus Cookies & Cream", 599.00, "Fabric", "White", "Regular", 287, 165),
        ("noblechairs", "noblechairs Hero", 449.99, "PU Leather", "Black", "Regular", 330, 135),
        ("Corsair", "Corsair TC100 Relaxed", 249.99, "Fabric", "Grey", "Regular", 265, 160),
        ("Razer", "Razer Iskur V2", 649.99, "PU Leather", "Black", "Regular", 299, 152),
        ("Herman Miller", "Herman Miller x Logitech G Embody Gaming Chair", 1795.00, "Fabric", "Black", "Regular", 300, None),
        ("AndaSeat", "AndaSeat Kaiser 4 XL", 449.00, "PU Leather", "Black", "XL", 395, 165),
        ("Cougar", "Cougar Armor One", 199.99, "PU Leather", "Black", "Regular", 265, 180),
    ],
    "desks": [
        ("Secretlab", "Secretlab Magnus Pro XL", 799.00, "Straight", 71, True, 265, "Black"),
        ("Secretlab", "Secretlab Magnus Pro", 699.00, "Straight", 59, True, 265, "Black"),
        ("Arozzi", "Arozzi Arena Gaming Desk", 299.99, "Straight", 63, False, 176, "Black"),
        ("FlexiSpot", "FlexiSpot E7 Pro Standing Desk", 499.99, "Straight", 60, True, 440, "Walnut"),
        ("Eureka Ergonomic", "Eureka Ergonomic L60 L-Shaped Gaming Desk", 189.99, "L-Shaped", 60, False, 220, "Black"),
        ("Eureka Ergonomic", "Eureka Ergonomic Aero Pro 72", 699.99, "Straight", 72, True, 300, "Black"),
        ("Cougar", "Cougar Mars Pro 150", 279.99, "Straight", 59, False, 220, "Black"),
        ("Respawn", "Respawn RSP-3000 L-Shaped Gaming Desk", 219.99, "L-Shaped", 60, False, 200, "White"),
    ],
    "controllers": [
        ("Sony", "Sony DualSense Wireless Controller", 74.99, "PlayStation", True, False, 6),
        ("Sony", "Sony DualSense Wireless Controller Cosmic Red", 74.99, "PlayStation", True, False, 6),
        ("Sony", "Sony DualSense Edge", 199.99, "PlayStation", True, False, 4),
        ("Microsoft", "Xbox Wireless Controller Carbon Black", 59.99, "Xbox / PC", True, False, 40),
        ("Microsoft", "Xbox Elite Wireless Controller Series 2", 179.99, "Xbox / PC", True, False, 40),
        ("Nintendo", "Nintendo Switch Pro Controller", 69.99, "Nintendo Switch", True, False, 40),
        ("8BitDo", "8BitDo Ultimate Bluetooth Controller", 69.99, "Nintendo Switch", True, True, 22),
        ("PowerA", "PowerA Enhanced Wired Controller for Xbox Series X|S", 34.99, "Xbox / PC", False, False, None),
        ("Razer", "Razer Wolverine V3 Pro", 199.99, "Xbox / PC", True, True, 20),
        ("GameSir", "GameSir G7 SE", 44.99, "Xbox / PC", False, True, None),
    ],
    "consoles": [
        ("Sony", "Sony PlayStation 5 Slim", 499.99, "PlayStation", 1000, True, "4K"),
        ("Sony", "Sony PlayStation 5 Slim Digital Edition", 449.99, "PlayStation", 1000, False, "4K"),
        ("Sony", "Sony PlayStation 5 Pro", 699.99, "PlayStation", 2000, False, "4K"),
        ("Microsoft", "Xbox Series X 1TB", 499.99, "Xbox", 1000, True, "4K"),
        ("Microsoft", "Xbox Series S 512GB", 299.99, "Xbox", 512, False, "1440p"),
        ("Nintendo", "Nintendo Switch OLED Model White", 349.99, "Nintendo", 64, False, "1080p"),
        ("Nintendo", "Nintendo Switch OLED Model Neon Red and Blue", 349.99, "Nintendo", 64, False, "1080p"),
        ("Valve", "Valve Steam Deck OLED 512GB", 549.00, "PC Handheld", 512, False, "1080p"),
        ("ASUS", "ASUS ROG Ally X", 799.99, "PC Handheld", 1000, False, "1080p"),
    ],
    "vr": [
        ("Meta", "Meta Quest 3 512GB", 499.99, "Standalone", 120, "Inside-out", "2064 x 2208", 512),
        ("Meta", "Meta Quest 3S 128GB", 299.99, "Standalone", 120, "Inside-out", "1832 x 1920", 128),
        ("Meta", "Meta Quest 3S 256GB", 399.99, "Standalone", 120, "Inside-out", "1832 x 1920", 256),
        ("Sony", "Sony PlayStation VR2", 399.99, "PlayStation", 120, "Inside-out", "2000 x 2040", None),
        ("Valve", "Valve Index VR Kit", 999.00, "PC VR", 144, "Base station", "1440 x 1600", None),
        ("HTC", "HTC Vive Pro 2 Full Kit", 1299.00, "PC VR", 120, "Base station", "2448 x 2448", None),
        ("HTC", "HTC Vive XR Elite", 899.00, "Standalone", 90, "Inside-out", "1920 x 1920", 128),
        ("Pimax", "Pimax Crystal Light", 699.00, "PC VR", 120, "Inside-out", "2880 x 2880", None),
    ],
    "laptops": [
        ("ASUS", "ASUS ROG Zephyrus G14 (2024)", 1999.99, "GeForce RTX 4070 Laptop", 14, 32, "AMD Ryzen 9 8945HS", 1000, 120, 3.3),
        ("ASUS", "ASUS ROG Strix SCAR 18 (2024)", 3499.99, "GeForce RTX 4090 Laptop", 18, 32, "Intel Core i9-14900HX", 2000, 240, 6.9),
        ("ASUS", "ASUS TUF Gaming A15", 1099.99, "GeForce RTX 4060 Laptop", 15.6, 16, "AMD Ryzen 7 7735HS", 512, 144, 4.9),
        ("MSI", "MSI Raider GE78 HX", 2899.99, "GeForce RTX 4080 Laptop", 17, 32, "Intel Core i9-14900HX", 2000, 240, 6.6),
        ("MSI", "MSI Katana 15", 999.99, "GeForce RTX 4060 Laptop", 15.6, 16, "Intel Core i7-13620H", 1000, 144, 5.0),
        ("Lenovo", "Lenovo Legion Pro 7i Gen 9", 2699.99, "GeForce RTX 4080 Laptop", 16, 32, "Intel Core i9-14900HX", 1000, 240, 6.2),
        ("Lenovo", "Lenovo Legion 5i Gen 9", 1399.99, "GeForce RTX 4060 Laptop", 16, 16, "Intel Core i7-14650HX", 1000, 165, 5.2),
        ("Dell", "Dell Alienware m18 R2", 3299.99, "GeForce RTX 4090 Laptop", 18, 32, "Intel Core i9-14900HX", 2000, 165, 8.9),
        ("Dell", "Dell Alienware x16 R2", 2999.99, "GeForce RTX 4080 Laptop", 16, 32, "Intel Core Ultra 9 185H", 1000, 240, 6.0),
        ("Razer", "Razer Blade 16 (2024)", 4299.99, "GeForce RTX 4090 Laptop", 16, 32, "Intel Core i9-14900HX", 2000, 240, 5.4),
        ("Razer", "Razer Blade 14 (2024)", 2699.99, "GeForce RTX 4070 Laptop", 14, 32, "AMD Ryzen 9 8945HS", 1000, 240, 4.0),
        ("HP", "HP Omen Transcend 14", 1499.99, "GeForce RTX 4060 Laptop", 14, 16, "Intel Core Ultra 7 155H", 1000, 120, 3.6),
    ],
    "prebuilt-desktops": [
        ("Corsair", "Corsair Vengeance i7500", 3099.99, "GeForce RTX 4080 Super", 32, "Intel", "Intel Core i7-14700K", 2000, "Windows 11 Home"),
        ("Corsair", "Corsair Vengeance a7500", 4499.99, "GeForce RTX 4090", 64, "AMD", "AMD Ryzen 9 7950X3D", 4000, "Windows 11 Home"),
        ("Dell", "Alienware Aurora R16", 1899.99, "GeForce RTX 4070 Super", 16, "Intel", "Intel Core i7-14700F", 1000, "Windows 11 Home"),
        ("Dell", "Alienware Aurora R16 Ultimate", 4099.99, "GeForce RTX 4090", 64, "Intel", "Intel Core i9-14900KF", 4000, "Windows 11 Pro"),
        ("HP", "HP Omen 45L", 2899.99, "GeForce RTX 4080 Super", 32, "Intel", "Intel Core i9-14900K", 2000, "Windows 11 Home"),
        ("Lenovo", "Lenovo Legion Tower 5i Gen 8", 1399.99, "GeForce RTX 4060 Ti", 16, "Intel", "Intel Core i7-13700F", 1000, "Windows 11 Home"),
        ("NZXT", "NZXT Player: Three", 2799.99, "GeForce RTX 4080 Super", 32, "Intel", "Intel Core i7-14700KF", 2000, "Windows 11 Home"),
        ("CyberPowerPC", "CyberPowerPC Gamer Xtreme VR", 1099.99, "GeForce RTX 4060", 16, "Intel", "Intel Core i5-14400F", 1000, "Windows 11 Home"),
        ("iBUYPOWER", "iBUYPOWER Y40 Pro", 2199.99, "GeForce RTX 4070 Ti Super", 32, "AMD", "AMD Ryzen 7 7800X3D", 2000, "Windows 11 Home"),
        ("Skytech", "Skytech Azure", 1799.99, "GeForce RTX 4070 Super", 32, "AMD", "AMD Ryzen 7 7800X3D", 1000, "Windows 11 Home"),
    ],
    "routers": [
        ("ASUS", "ASUS ROG Rapture GT-BE98", 699.99, "Wi-Fi 7", "Quad-band", False, 25000, "10GbE"),
        ("ASUS", "ASUS RT-AX86U Pro", 249.99, "Wi-Fi 6", "Dual-band", False, 5700, "2.5GbE"),
        ("ASUS", "ASUS ZenWiFi BQ16 Pro 2-Pack", 1299.99, "Wi-Fi 7", "Quad-band", True, 25000, "10GbE"),
        ("TP-Link", "TP-Link Archer BE800", 499.99, "Wi-Fi 7", "Tri-band", False, 19000, "10GbE"),
        ("TP-Link", "TP-Link Archer AXE75", 149.99, "Wi-Fi 6E", "Tri-band", False, 5400, "1GbE"),
        ("TP-Link", "TP-Link Deco XE75 Pro 3-Pack", 399.99, "Wi-Fi 6E", "Tri-band", True, 5400, "2.5GbE"),
        ("Netgear", "Netgear Nighthawk RS700S", 699.99, "Wi-Fi 7", "Tri-band", False, 19000, "10GbE"),
        ("Netgear", "Netgear Orbi 970 Series 3-Pack", 1999.99, "Wi-Fi 7", "Quad-band", True, 27000, "10GbE"),
        ("Ubiquiti", "Ubiquiti UniFi Dream Router 7", 279.00, "Wi-Fi 7", "Tri-band", False, 10800, "2.5GbE"),
        ("Ubiquiti", "Ubiquiti UniFi U7 Pro Access Point", 189.00, "Wi-Fi 7", "Tri-band", False, 9300, "2.5GbE"),
        ("eero", "eero Pro 6E 3-Pack", 479.99, "Wi-Fi 6E", "Tri-band", True, 5400, "2.5GbE"),
    ],
    "nas": [
        ("Synology", "Synology DS923+", 599.99, 4, "2 x 1GbE", "AMD Ryzen R1600", 4, 96),
        ("Synology", "Synology DS224+", 299.99, 2, "2 x 1GbE", "Intel Celeron J4125", 2, 40),
        ("Synology", "Synology DS423+", 479.99, 4, "2 x 1GbE", "Intel Celeron J4125", 2, 80),
        ("Synology", "Synology DS1522+", 699.99, 5, "4 x 1GbE", "AMD Ryzen R1600", 8, 100),
        ("QNAP", "QNAP TS-464", 549.00, 4, "2 x 2.5GbE", "Intel Celeron N5105", 8, 96),
        ("QNAP", "QNAP TS-264", 369.00, 2, "2 x 2.5GbE", "Intel Celeron N5105", 8, 48),
        ("UGREEN", "UGREEN NASync DXP4800 Plus", 699.99, 4, "10GbE + 2.5GbE", "Intel Pentium Gold 8505", 8, 136),
        ("TerraMaster", "TerraMaster F4-424 Pro", 699.99, 4, "2 x 2.5GbE", "Intel Core i3-N300", 32, 96),
    ],
    "capture-cards": [
        ("Elgato", "Elgato HD60 X", 179.99, "USB 3.0", "4K60 HDR", True, "1080p60"),
        ("Elgato", "Elgato 4K X", 199.99, "USB 3.2", "4K144 HDR", True, "4K144"),
        ("Elgato", "Elgato 4K Pro", 249.99, "PCIe", "8K60 HDR", True, "4K60 HDR"),
        ("Elgato", "Elgato Game Capture Neo", 129.99, "USB 3.0", "4K60 HDR", True, "1080p60"),
        ("AVerMedia", "AVerMedia Live Gamer 4K 2.1", 249.99, "PCIe", "4K144 HDR", True, "4K60 HDR"),
        ("AVerMedia", "AVerMedia Live Gamer Ultra 2.1", 229.99, "USB 3.2", "4K144 HDR", True, "4K30"),
        ("AVerMedia", "AVerMedia Live Gamer Mini", 99.99, "USB 2.0", "1080p60", False, "1080p60"),
        ("Razer", "Razer Ripsaw X", 139.99, "USB 3.0", "4K60", False, "4K30"),
    ],
    "cables": [
        ("Cable Matters", "Cable Matters 8K HDMI 2.1 Cable 6ft", 14.99, "HDMI", 6, "HDMI 2.1", False),
        ("Zeskit", "Zeskit Maya 8K HDMI 2.1 Cable 10ft", 19.99, "HDMI", 10, "HDMI 2.1", True),
        ("Club 3D", "Club 3D DisplayPort 2.1 UHBR20 Cable 6ft", 29.99, "DisplayPort", 6, "DP 2.1", False),
        ("Cable Matters", "Cable Matters DisplayPort 1.4 Cable 6ft", 12.99, "DisplayPort", 6, "DP 1.4", False),
        ("Anker", "Anker USB-C to USB-C Cable 240W 6ft", 17.99, "USB-C", 6, "USB PD 3.1", True),
        ("Belkin", "Belkin Thunderbolt 4 Cable 3ft", 69.99, "USB-C", 3, "Thunderbolt 4", False),
        ("Monoprice", "Monoprice Cat8 Ethernet Cable 10ft", 12.99, "Ethernet", 10, "Cat 8", False),
        ("CableMod", "CableMod RT-Series Pro ModMesh 12V-2x6 Cable", 39.99, "Power", 2, "12V-2x6", True),
        ("Corsair", "Corsair Premium Sleeved PSU Cable Kit Type 5", 99.99, "Power", 2, "Type 5 PSU", True),
        ("UGREEN", "UGREEN USB-C to DisplayPort 1.4 Cable 6ft", 19.99, "Adapter", 6, "DP 1.4 Alt Mode", True),
    ],
    "thermal-paste": [
        ("Arctic", "Arctic MX-6 4g", 8.99, "Paste", 4, None, False),
        ("Arctic", "Arctic MX-6 8g", 12.99, "Paste", 8, None, False),
        ("Arctic", "Arctic MX-4 4g", 7.99, "Paste", 4, 8.5, False),
        ("Noctua", "Noctua NT-H2 3.5g", 14.95, "Paste", 3.5, None, False),
        ("Thermal Grizzly", "Thermal Grizzly Kryonaut 1g", 9.99, "Paste", 1, 12.5, False),
        ("Thermal Grizzly", "Thermal Grizzly Conductonaut 1g", 13.99, "Liquid Metal", 1, 73, True),
        ("Thermalright", "Thermalright TF7 2g", 6.99, "Paste", 2, 12.8, False),
        ("Corsair", "Corsair XTM70 5g", 11.99, "Paste", 5, None, False),
    ],
    "streaming-gear": [
        ("Elgato", "Elgato Stream Deck MK.2", 149.99, "Stream Controller", "USB-C", 15, None),
        ("Elgato", "Elgato Stream Deck XL", 249.99, "Stream Controller", "USB-C", 32, None),
        ("Elgato", "Elgato Stream Deck +", 199.99, "Stream Controller", "USB-C", 8, None),
        ("Razer", "Razer Stream Controller X", 149.99, "Stream Controller", "USB-C", 15, None),
        ("Elgato", "Elgato Key Light", 179.99, "Light", "Wi-Fi", None, 45),
        ("Elgato", "Elgato Ring Light", 199.99, "Light", "Wi-Fi", None, 45),
        ("Elgato", "Elgato Wave XLR", 159.99, "Audio Interface", "USB-C", None, None),
        ("TC-Helicon", "TC-Helicon GoXLR Mini", 249.00, "Audio Interface", "USB", None, None),
        ("Rode", "Rode RodeCaster Duo", 499.00, "Audio Interface", "USB-C", None, None),
    ],
    "games": [
        ("CD PROJEKT RED", "Cyberpunk 2077: Ultimate Edition (PC)", 59.99, "PC", "RPG", "M", 2023, "Ultimate"),
        ("Bandai Namco", "Elden Ring Shadow of the Erdtree Edition (PS5)", 79.99, "PS5", "RPG", "M", 2024, "Shadow of the Erdtree"),
        ("Larian Studios", "Baldur's Gate 3 (PC)", 59.99, "PC", "RPG", "M", 2023, "Standard"),
        ("Game Science", "Black Myth: Wukong (PS5)", 69.99, "PS5", "Action", "M", 2024, "Standard"),
        ("Activision", "Call of Duty: Black Ops 6 (Xbox Series X|S)", 69.99, "Xbox Series X|S", "Shooter", "M", 2024, "Standard"),
        ("PlayStation Studios", "Helldivers 2 (PS5)", 39.99, "PS5", "Shooter", "M", 2024, "Standard"),
        ("Nintendo", "The Legend of Zelda: Tears of the Kingdom", 69.99, "Nintendo Switch", "Adventure", "E10+", 2023, "Standard"),
        ("Nintendo", "Super Mario Bros. Wonder", 59.99, "Nintendo Switch", "Platformer", "E", 2023, "Standard"),
        ("Nintendo", "Mario Kart 8 Deluxe", 59.99, "Nintendo Switch", "Racing", "E", 2017, "Standard"),
        ("Xbox Game Studios", "Forza Horizon 5 Premium Edition (Xbox Series X|S)", 99.99, "Xbox Series X|S", "Racing", "E", 2021, "Premium"),
        ("EA Sports", "EA Sports FC 25 (PS5)", 69.99, "PS5", "Sports", "E", 2024, "Standard"),
        ("Bethesda", "Starfield (Xbox Series X|S)", 69.99, "Xbox Series X|S", "RPG", "M", 2023, "Standard"),
        ("2K", "Sid Meier's Civilization VII (PC)", 69.99, "PC", "Strategy", "E10+", 2025, "Standard"),
        ("Square Enix", "Final Fantasy VII Rebirth (PS5)", 69.99, "PS5", "RPG", "T", 2024, "Standard"),
    ],
    "software": [
        ("Microsoft", "Microsoft Windows 11 Home", 139.99, "Operating System", "Windows", "1 PC, Lifetime", "USB Flash Drive"),
        ("Microsoft", "Microsoft Windows 11 Pro", 199.99, "Operating System", "Windows", "1 PC, Lifetime", "Digital Key"),
        ("Microsoft", "Microsoft 365 Personal 12-Month Subscription", 99.99, "Productivity", "Multi-platform", "1 User, 1 Year", "Digital Key"),
        ("Norton", "Norton 360 Deluxe", 49.99, "Security", "Multi-platform", "5 Devices, 1 Year", "Digital Key"),
        ("Bitdefender", "Bitdefender Total Security", 49.99, "Security", "Multi-platform", "5 Devices, 1 Year", "Digital Key"),
        ("Adobe", "Adobe Photoshop Elements 2025", 99.99, "Creative", "Windows / macOS", "1 User, Lifetime", "Digital Key"),
        ("CyberLink", "CyberLink PowerDirector 365", 69.99, "Creative", "Windows / macOS", "1 User, 1 Year", "Digital Key"),
        ("Acronis", "Acronis True Image Essentials", 49.99, "Utility", "Windows / macOS", "1 Computer, 1 Year", "Digital Key"),
        ("UL Solutions", "3DMark Advanced Edition", 34.99, "Utility", "Windows", "1 User, Lifetime", "Steam Key"),
    ],
}

FEATURED = [
    "AMD Ryzen 7 7800X3D", "ASUS TUF Gaming GeForce RTX 4090 OC", "Samsung 990 Pro 2TB",
    "Corsair Vengeance DDR5-6000 32GB", "LG UltraGear 27GR95QE-B", "Logitech G Pro X Superlight 2",
    "SteelSeries Arctis Nova Pro Wireless", "Fractal Design North Charcoal Black", "Noctua NH-D15 G2",
    "Elgato Stream Deck MK.2", "Secretlab Titan Evo Regular", "Sony PlayStation 5 Slim",
    "Meta Quest 3 512GB", "ASUS ROG Zephyrus G14 (2024)", "Wooting 60HE+", "Baldur's Gate 3 (PC)",
]

# Extra, product-specific copy (inserted as the second sentence).
NOTES = {
    "AMD Ryzen 7 7800X3D": "It has become the go-to gaming CPU thanks to class-leading frame rates at a modest power draw.",
    "AMD Ryzen 7 9800X3D": "AMD moved the 3D V-Cache below the cores this generation, unlocking higher clocks and full overclocking support.",
    "Intel Core i9-14900K": "Out of the box it hits 6.0 GHz, the highest stock boost clock Intel has shipped on a desktop chip.",
    "ASUS TUF Gaming GeForce RTX 4090 OC": "Military-grade capacitors, a metal exoskeleton and dual-ball-bearing fans give the TUF card its reputation for durability.",
    "NVIDIA GeForce RTX 4080 Super Founders Edition": "NVIDIA's own design uses a sleek two-slot-and-a-half aluminium shroud that fits more cases than most partner cards.",
    "Samsung 990 Pro 2TB": "Samsung's in-house controller and V-NAND keep random performance high for snappy game loading and OS responsiveness.",
    "LG UltraGear 27GR95QE-B": "The anti-glare low-reflection coating keeps OLED contrast punchy even in bright rooms.",
    "Logitech G Pro X Superlight 2": "Co-developed with esports pros, it adds LIGHTFORCE hybrid switches and USB-C charging to a legendary shape.",
    "SteelSeries Arctis Nova Pro Wireless": "Its hot-swappable battery system means you never have to stop playing to charge.",
    "Fractal Design North Charcoal Black": "Real walnut front slats give it a warm, furniture-like look that blends into any room.",
    "Fractal Design North Chalk White Mesh": "Real oak front slats and a white finish make it one of the most distinctive cases around.",
    "Lian Li O11 Dynamic EVO": "The reversible dual-chamber layout lets you flip the whole case to show off your build from either side.",
    "Noctua NH-D15 G2": "The second-generation D15 adds offset heatpipes and pressure-optimised fans to rival 360 mm liquid coolers.",
    "Elgato Stream Deck MK.2": "Swappable faceplates and a detachable stand let you make it your own.",
    "Secretlab Titan Evo Regular": "Magnetic memory-foam head pillow and a 4-way L-ADAPT lumbar system keep you supported all day.",
    "Sony PlayStation 5 Slim": "The slimmer design takes up around 30% less volume than the original PS5 while keeping the same performance.",
    "Meta Quest 3 512GB": "Full-colour passthrough blends virtual objects with your living room for mixed reality games.",
    "ASUS ROG Zephyrus G14 (2024)": "Its CNC-milled aluminium chassis and 3K OLED Nebula display make it as premium as it is powerful.",
    "Wooting 60HE+": "Rapid Trigger was popularised by Wooting, and the 60HE+ remains the reference board for competitive FPS players.",
    "Valve Steam Deck OLED 512GB": "The HDR OLED screen, longer battery life and Wi-Fi 6E make it the best Steam Deck yet.",
    "Nintendo Switch OLED Model White": "The 7-inch OLED screen, wide adjustable stand and wired LAN port in the dock upgrade every way you play.",
    "Xbox Series X 1TB": "Up to 120 fps gameplay and a custom 1TB NVMe SSD make load times practically disappear.",
    "Elgato 4K X": "It is one of the first capture cards with HDMI 2.1 passthrough for 4K at 144 Hz.",
    "Shure SM7B": "The same dynamic microphone found in broadcast studios and on countless hit records.",
    "Synology DS923+": "An optional 10GbE upgrade slot and M.2 NVMe cache bays let it grow with your needs.",
    "Cyberpunk 2077: Ultimate Edition (PC)": "This edition bundles the base game with the Phantom Liberty spy-thriller expansion and the 2.0 overhaul.",
    "Elden Ring Shadow of the Erdtree Edition (PS5)": "Includes the base game plus the Shadow of the Erdtree expansion set in the Land of Shadow.",
    "Baldur's Gate 3 (PC)": "Larian's Dungeons & Dragons epic swept Game of the Year awards with its freedom and reactive storytelling.",
    "Black Myth: Wukong (PS5)": "Play as the Destined One in a mythic action RPG inspired by Journey to the West.",
    "Call of Duty: Black Ops 6 (Xbox Series X|S)": "Omnimovement lets you sprint, slide and dive in any direction across the campaign, multiplayer and Zombies.",
    "Helldivers 2 (PS5)": "Team up with up to three friends to spread managed democracy across a galaxy-wide war.",
    "The Legend of Zelda: Tears of the Kingdom": "Fuse, Ultrahand and Ascend let you build contraptions and explore Hyrule's skies and depths.",
    "Super Mario Bros. Wonder": "Wonder Flowers transform every level in surprising ways, with drop-in co-op for up to four players.",
    "Mario Kart 8 Deluxe": "Race on 48 tracks with friends locally or online, with the Booster Course Pass sold separately.",
    "Forza Horizon 5 Premium Edition (Xbox Series X|S)": "Explore a vibrant open world Mexico, with both expansions and the Car Pass included in this edition.",
    "EA Sports FC 25 (PS5)": "Rush brings fast 5v5 matches to Ultimate Team, Clubs, Kick-Off and Career.",
    "Starfield (Xbox Series X|S)": "Bethesda's first new universe in 25 years lets you build ships and explore more than 1,000 planets.",
    "Sid Meier's Civilization VII (PC)": "Guide your civilization through three distinct ages, each with its own rules and crises.",
    "Final Fantasy VII Rebirth (PS5)": "The second chapter of the remake trilogy opens up the world beyond Midgar.",
    "Microsoft Windows 11 Home": "DirectStorage and Auto HDR help modern games load faster and look better.",
    "Microsoft Windows 11 Pro": "BitLocker encryption, Hyper-V and Remote Desktop host support make it the choice for power users.",
    "Microsoft 365 Personal 12-Month Subscription": "Includes Word, Excel, PowerPoint, Outlook and 1TB of OneDrive cloud storage.",
    "Norton 360 Deluxe": "Includes a secure VPN, password manager and 50GB of cloud backup.",
    "Bitdefender Total Security": "Multi-layer ransomware protection runs with minimal impact on game performance.",
    "Adobe Photoshop Elements 2025": "AI-powered edits like object removal and colour matching make great photos easy.",
    "CyberLink PowerDirector 365": "Ideal for editing gameplay highlights with motion tracking, templates and stock media.",
    "Acronis True Image Essentials": "Full-image backups let you restore your entire PC, games and settings included.",
    "3DMark Advanced Edition": "Run Time Spy, Port Royal and Steel Nomad to see how your PC stacks up against others.",
}


# ---------------------------------------------------------------------------
# Copy helpers
# ---------------------------------------------------------------------------
def cap_str(gb):
    """1000 -> '1TB', 512 -> '512GB'."""
    if gb >= 1000:
        return f"{gb / 1000:g}TB"
    return f"{gb:g}GB"


def num(v):
    return f"{v:g}" if isinstance(v, float) else str(v)


RES_NAMES = {"1920x1080": "1080p", "2560x1440": "1440p", "3840x2160": "4K",
             "3440x1440": "ultrawide 1440p", "5120x1440": "super-ultrawide"}

MODULAR = {"Full": "fully modular", "Semi": "semi-modular", "Non-modular": "non-modular"}


def gpu_tier(chipset):
    for key, tier in (("4090", 4), ("4080", 4), ("7900", 4), ("4070 Ti", 3), ("4070", 3),
                      ("7800", 3), ("7700", 2), ("4060", 1), ("B580", 1)):
        if key in chipset:
            return tier
    return 2


def d_cpus(n, b, s, R):
    short = f"{s['cores']}-core, {s['threads']}-thread {s['socket']} processor with boost clocks up to {s['boost_clock']:.1f} GHz."
    a = R.choice([
        f"The {n} brings {s['cores']} cores and {s['threads']} threads to the {s['socket']} platform, boosting as high as {s['boost_clock']:.1f} GHz.",
        f"Built for {s['socket']} motherboards, the {n} pairs {s['cores']} cores with a {s['boost_clock']:.1f} GHz peak boost for high frame rates and fast compile times.",
    ])
    if "X3D" in n:
        arch = "Stacked 3D V-Cache puts an enormous pool of L3 cache right next to the cores, which is exactly what CPU-bound games love."
    elif "Ultra" in n:
        arch = "The Arrow Lake design mixes Performance and Efficiency cores with a built-in NPU for AI-accelerated workloads."
    elif b == "Intel":
        arch = "Intel's hybrid layout keeps games on the fast Performance cores while background tasks and streams run on the Efficiency cores."
    else:
        arch = "Zen efficiency means strong single-thread speed for games and excellent multi-threaded throughput for streaming and rendering."
    tdp = (f"A {s['tdp']} W TDP keeps temperatures and noise down, so a modest tower cooler is plenty."
           if s["tdp"] <= 65 else
           f"Rated at {s['tdp']} W, it rewards a capable dual-tower air cooler or a 240 mm+ liquid cooler.")
    igp = ("Integrated graphics let you boot, troubleshoot or drive a display without a dedicated GPU."
           if s["integrated_graphics"] else
           "It has no integrated graphics, so pair it with a discrete graphics card.")
    return short, [a, arch, tdp, igp]


def d_gpus(n, b, s, R):
    tier = gpu_tier(s["chipset"])
    target = {4: "maxed-out 4K gaming and heavy creative work", 3: "high-refresh 1440p and entry 4K gaming",
              2: "high-refresh 1440p gaming", 1: "smooth, high-refresh 1080p gaming"}[tier]
    short_t = {4: "4K gaming", 3: "1440p and 4K gaming", 2: "1440p gaming", 1: "1080p gaming"}[tier]
    short = f"{s['chipset']} graphics card with {s['vram']}GB {s['memory_type']}, built for {short_t}."
    a = f"The {n} puts the {s['chipset']} and {s['vram']}GB of {s['memory_type']} to work for {target}."
    if "GeForce" in s["chipset"]:
        v = R.choice(["DLSS 3 Frame Generation, Reflex and full ray tracing keep the latest games smooth and responsive.",
                      "Ada Lovelace RT and Tensor cores power ray-traced lighting and DLSS upscaling for big frame-rate gains."])
    elif "Radeon" in s["chipset"]:
        v = "FSR 3 upscaling, Radeon Anti-Lag and a generous memory buffer keep high-resolution textures and frame rates in check."
    else:
        v = "XeSS upscaling and hardware AV1 encoding make it a strong value pick for gaming and streaming alike."
    if "Founders" in n:
        c = "The flow-through Founders Edition cooler exhausts heat efficiently while staying compact."
    else:
        fans = "triple" if s["length"] >= 270 else "dual"
        c = R.choice([f"A {fans}-fan cooler with a reinforced backplate keeps clocks high and noise low under sustained load.",
                      f"Its {fans}-fan heatsink stops the fans entirely at idle, so desktop work stays silent."])
    d = f"At {s['length']} mm long with {s['tdp']} W board power, check case clearance and PSU headroom before you buy."
    return short, [a, v, c, d]


def d_motherboards(n, b, s, R):
    wifi = " and onboard Wi-Fi" if s["wifi"] else ""
    short = f"{s['form_factor']} {s['chipset']} motherboard for {s['socket']} processors with {s['memory_type']} support{wifi}."
    art = "an" if s["form_factor"][0] in "AEIOU" else "a"
    a = f"The {n} is {art} {s['form_factor']} board built on the {s['chipset']} chipset for {s['socket']} CPUs."
    m2 = f"It supports {s['memory_type']} memory and provides {s['nvme_slots']} M.2 slots for fast NVMe storage."
    w = ("Onboard Wi-Fi and Bluetooth save you a PCIe slot and a USB dongle." if s["wifi"] else
         "There's no onboard Wi-Fi, so plan on a wired connection or an add-in card.")
    if s["form_factor"] == "Mini-ITX":
        t = "Its compact Mini-ITX footprint packs premium features into small form factor builds."
    elif s["chipset"][0] in "XZ":
        t = "Beefy power delivery and overclocking support make it a great match for flagship CPUs."
    else:
        t = "It hits the sweet spot of features and price for mainstream gaming builds."
    return short, [a, m2, t, w]


def d_memory(n, b, s, R):
    cap = f"{s['capacity']}GB"
    short = f"{cap} {s['memory_type']} kit ({s['modules']}) rated at {s['speed']} MT/s with CL{s['cas_latency']} timings."
    a = f"The {n} is a {s['modules']} {s['memory_type']} kit running at {s['speed']} MT/s with CL{s['cas_latency']} latency."
    if s["memory_type"] == "DDR4":
        sp = "It's a safe, affordable upgrade for AM4 and older Intel systems that still run DDR4."
    elif s["speed"] == 6000:
        sp = "DDR5-6000 is the sweet spot for Ryzen 7000 and 9000 CPUs, and EXPO/XMP profiles make setup a one-click affair."
    elif s["speed"] > 6000:
        sp = f"At {s['speed']} MT/s it targets enthusiasts chasing maximum bandwidth; enable XMP in the BIOS to reach rated speed."
    else:
        sp = "Its conservative speed makes it an easy, stable drop-in for almost any DDR5 motherboard."
    rgb = ("Addressable RGB lighting syncs with popular motherboard and peripheral software." if s["rgb"] else
           "A low-profile heat spreader without RGB clears large air coolers with ease.")
    if s["capacity"] >= 64:
        c = f"{cap} of capacity leaves plenty of room for virtual machines, video editing and heavy multitasking."
    elif s["capacity"] == 32:
        c = "32GB is the current sweet spot for gaming while streaming or keeping dozens of browser tabs open."
    else:
        c = "16GB covers today's esports titles and everyday multitasking."
    return short, [a, sp, rgb, c]


def d_ssds(n, b, s, R):
    cap = cap_str(s["capacity"])
    short = f"{cap} {s['interface']} SSD in the {s['form_factor']} form factor with up to {s['read_speed']:,} MB/s reads."
    a = f"The {n} delivers sequential reads up to {s['read_speed']:,} MB/s and writes up to {s['write_speed']:,} MB/s over {s['interface']}."
    if "5.0" in s["interface"]:
        i = "PCIe 5.0 bandwidth needs a recent platform such as AMD X670E/X870E or Intel Z790/Z890 to reach full speed."
    elif "4.0" in s["interface"]:
        i = "It's a great fit for any PCIe 4.0 M.2 slot and still works in older PCIe 3.0 systems."
    else:
        i = "The 2.5-inch SATA form factor makes it an easy upgrade for older desktops and laptops still running hard drives."
    if s.get("heatsink"):
        h = "An integrated heatsink keeps temperatures in check during long transfers and slots straight into a PS5."
    elif "SATA" in s["interface"]:
        h = "A DRAM cache and dependable TLC NAND keep performance consistent under everyday workloads."
    else:
        h = "Without a bundled heatsink it fits under motherboard M.2 shields and inside slim laptops."
    g = f"With {cap} of space you can keep roughly {max(5, s['capacity'] // 100)} modern AAA games installed at once."
    return short, [a, i, h, g]


def d_hdds(n, b, s, R):
    use = s["use_case"] if s["use_case"] == "NAS" else s["use_case"].lower()
    short = f"{s['capacity']}TB {s['rpm']} RPM {s['interface']} hard drive designed for {use} use."
    a = f"The {n} offers {s['capacity']}TB of storage spinning at {s['rpm']} RPM with a {s['cache']}MB cache."
    u = {"NAS": "It's built for always-on NAS enclosures, with vibration tolerance and firmware tuned for RAID arrays.",
         "Desktop": "It's an affordable way to add bulk storage for game libraries, media and backups to a desktop PC.",
         "Surveillance": "Firmware optimised for continuous video recording makes it ideal for NVR and security camera systems."}[s["use_case"]]
    f = "The standard 3.5-inch form factor fits any desktop drive bay or NAS enclosure."
    c = "It's a cost-effective home for data that doesn't need SSD speed, from media archives to PC backups."
    return short, [a, u, f, c]


def d_psus(n, b, s, R):
    mod = MODULAR[s["modular"]]
    short = f"{s['wattage']}W {s['efficiency']} certified, {mod} {s['form_factor']} power supply."
    a = f"The {n} delivers {s['wattage']} W of clean, stable power with {s['efficiency']} efficiency."
    atx = s.get("atx_version")
    v = (f"{atx} compliance and a native 12V-2x6 connector make it ready for the latest graphics cards." if atx else
         "It's a dependable choice for mainstream builds with mid-range graphics cards.")
    m = {"Full": "Fully modular cabling means you only install the cables you need, for cleaner builds and better airflow.",
         "Semi": "Semi-modular cabling keeps the essentials attached while letting you leave unused cables in the box.",
         "Non-modular": "Fixed cables keep the price down and suit budget builds where cable management matters less."}[s["modular"]]
    if s["form_factor"] == "SFX":
        x = "Its compact SFX form factor is made for small form factor cases."
    elif s["wattage"] >= 1000:
        x = "The extra headroom comfortably feeds top-tier GPUs and overclocked CPUs."
    else:
        x = "A fluid dynamic bearing fan stays quiet, or stops entirely, at low loads."
    return short, [a, v, m, x]


def d_cases(n, b, s, R):
    short = (f"{s['form_factor']} case in {s['color'].lower()} with a {s['side_panel'].lower()} side panel "
             f"and room for {s['max_gpu_length']} mm graphics cards.")
    a = f"The {n} is a {s['form_factor'].lower()} case with a {s['side_panel'].lower()} side panel and a {s['color'].lower()} finish."
    fans = s.get("included_fans", 0)
    fp = (f" and ships with {fans} pre-installed fans" if fans else
          ", with fans sold separately so you can plan your own cooling")
    g = f"It clears graphics cards up to {s['max_gpu_length']} mm long{fp}."
    if "O11" in n:
        c = "The dual-chamber layout hides the PSU and cables behind the motherboard tray for a showpiece build."
    elif s["form_factor"] == "Mini-ITX":
        c = "A compact footprint makes it perfect for small desk or living-room builds."
    elif s["form_factor"] == "Full Tower":
        c = "Massive interior space supports E-ATX boards and multiple 420 mm radiators."
    else:
        c = R.choice(["Tool-free panels, dust filters and generous cable routing space make building straightforward.",
                      "High-airflow intakes and removable dust filters keep components cool and easy to maintain."])
    d = "Front-panel USB-C and easy-to-clean dust filters come standard."
    return short, [a, g, c, d]


def d_coolers(n, b, s, R):
    rgb = " with RGB" if s["rgb"] else ""
    if s["cooler_type"] == "Air":
        short = f"Tower air cooler with {s['fan_size']} mm fans{rgb}, rated for {s['tdp_rating']} W and {s['height']} mm tall."
        a = f"The {n} is a tower air cooler with {s['fan_size']} mm fans and a {s['tdp_rating']} W cooling rating."
        h = f"At {s['height']} mm tall, check your case's CPU cooler clearance before ordering."
    else:
        short = f"{s['radiator_size']} mm all-in-one liquid cooler with {s['fan_size']} mm fans{rgb}, rated for {s['tdp_rating']} W."
        a = f"The {n} is a {s['radiator_size']} mm all-in-one liquid cooler that moves heat to a radiator cooled by {s['fan_size']} mm fans."
        h = "Pre-filled and sealed, it needs no maintenance and keeps the area around your RAM and VRMs clear."
    r = ("Addressable RGB lighting adds flair and syncs with motherboard software." if s["rgb"] else
         "A clean, lighting-free design keeps the focus on quiet, efficient cooling.")
    m = ("Mounting hardware for current AMD and Intel sockets is included, backed by Noctua's six-year warranty."
         if b == "Noctua" else "Mounting kits for AM5, AM4, LGA1700 and LGA1851 are included.")
    return short, [a, h, r, m]


def d_fans(n, b, s, R):
    rgb = "RGB " if s["rgb"] else ""
    if s["pack_size"] > 1:
        short = f"{s['pack_size']}-pack of {s['size']} mm {rgb}case fans spinning up to {s['max_rpm']} RPM."
    else:
        short = f"{s['size']} mm {rgb}case fan spinning up to {s['max_rpm']} RPM with {num(s['airflow'])} CFM of airflow."
    a = f"The {n} pushes up to {num(s['airflow'])} CFM at {s['max_rpm']} RPM while staying around {num(s['noise'])} dBA."
    p = "PWM control lets your motherboard ramp speed smoothly with temperature, so it's near-silent at idle."
    r = ("Daisy-chainable RGB lighting cuts down on cable clutter." if s["rgb"] else
         "Without lighting, all the engineering goes into airflow, static pressure and low noise.")
    out = [a, p, r]
    if s["pack_size"] > 1:
        out.append(f"The {s['pack_size']}-pack is an economical way to fill a front intake or radiator.")
    return short, out


def d_monitors(n, b, s, R):
    rn = RES_NAMES[s["resolution"]]
    short = f"{num(s['size'])}-inch {rn} {s['panel']} gaming monitor with a {s['refresh_rate']} Hz refresh rate."
    a = (f"The {n} pairs a {num(s['size'])}-inch {s['panel']} panel at {s['resolution'].replace('x', ' x ')} "
         f"with a {s['refresh_rate']} Hz refresh rate and {num(s['response_time'])} ms response time.")
    p = {"OLED": "Self-lit OLED pixels deliver perfect blacks, near-instant response and vivid HDR highlights.",
         "QD-OLED": "Quantum-dot OLED adds brighter, more saturated colours to perfect blacks and near-instant response.",
         "IPS": "The IPS panel offers accurate colours and wide viewing angles for gaming and creative work.",
         "VA": "A high-contrast VA panel gives deep blacks in dark scenes at a friendly price.",
         "TN": "The fast TN panel is tuned for competitive esports, where motion clarity matters more than colour."}[s["panel"]]
    h = (f"{s['hdr']} support and adaptive sync keep gameplay vivid, smooth and tear-free." if s.get("hdr") else
         "Adaptive sync support keeps gameplay smooth and tear-free.")
    r = {"4K": "Its 4K resolution keeps text crisp for work and pairs well with high-end GPUs.",
         "1440p": "1440p strikes the sweet spot between sharpness and frame rate for most graphics cards.",
         "1080p": "1080p keeps frame rates sky-high even on mid-range graphics cards.",
         "ultrawide 1440p": "The 21:9 curved ultrawide aspect ratio wraps your view in racing, flight and strategy games.",
         "super-ultrawide": "The 32:9 curved screen equals two 27-inch 1440p monitors without a bezel in the middle."}[rn]
    return short, [a, p, h, r]


def d_keyboards(n, b, s, R):
    wl = "Wireless" if s["wireless"] else "Wired"
    rgb = " and RGB backlighting" if s["rgb"] else ""
    short = f"{wl} {s['layout']} gaming keyboard with {s['switch_type'].lower()} switches{rgb}."
    a = f"The {n} is a {s['layout']} keyboard built around {s['switch_type'].lower()} switches."
    sw = {"Hall Effect": "Magnetic Hall effect switches allow adjustable actuation points and Rapid Trigger for instant resets.",
          "Optical": "Optical switches actuate with a beam of light for extremely low latency and long life.",
          "Linear": "Linear switches feel smooth and consistent, with no tactile bump to slow down rapid presses.",
          "Tactile": "Tactile switches give a noticeable bump at actuation, great for fast and accurate typing.",
          "Clicky": "Clicky switches deliver a crisp bump and an audible click on every press.",
          "Low Profile": "Low-profile switches and slim keycaps give a fast, laptop-like feel with full mechanical response."}[s["switch_type"]]
    c = ("Low-latency 2.4 GHz wireless plus Bluetooth keeps the desk clean without sacrificing responsiveness."
         if s["wireless"] else "A wired connection keeps latency minimal and means there is no battery to charge.")
    out = [a, sw, c]
    if s.get("hot_swappable"):
        out.append("Hot-swappable sockets let you change switches without soldering.")
    elif s["layout"] != "Full-size":
        out.append("The compact layout frees up space for wide, low-sensitivity mouse sweeps.")
    else:
        out.append("Dedicated media keys and a volume roller keep controls at your fingertips.")
    return short, out


def d_mice(n, b, s, R):
    wl = "Wireless" if s["wireless"] else "Wired"
    short = f"{wl} {s['shape'].lower()} gaming mouse weighing {s['weight']} g, with a {s['dpi']:,} DPI sensor."
    a = f"The {n} weighs {s['weight']} g and its optical sensor tracks at up to {s['dpi']:,} DPI."
    sh = ("Its symmetrical shape suits claw and fingertip grips." if s["shape"] == "Symmetrical" else
          "A right-handed ergonomic shape supports your palm through long sessions.")
    c = ("Low-latency 2.4 GHz wireless performs like a cable, with long battery life between charges." if s["wireless"] else
         "A lightweight, flexible cable glides with minimal drag.")
    if s["buttons"] > 7:
        x = f"{s['buttons']} programmable buttons put macros and shortcuts right under your thumb."
    elif s["weight"] <= 63:
        x = "Ultralight construction reduces fatigue during fast flicks and tracking."
    else:
        x = f"{s['buttons']} buttons keep the layout clean and focused on competitive play."
    return short, [a, sh, c, x]


def d_mousepads(n, b, s, R):
    rgb = ", RGB-lit" if s["rgb"] else ""
    short = f"{s['size']} {s['surface'].lower()} gaming mouse pad measuring {s['dimensions']}{rgb}."
    a = f"The {n} measures {s['dimensions']} and is {num(s['thickness'])} mm thick."
    su = {"Cloth": "Its woven cloth surface balances glide and stopping power for consistent aim.",
          "Hybrid": "A hybrid surface combines cloth-like control with faster, smoother glide.",
          "Glass": "Tempered glass offers an ultra-fast, ultra-durable surface that wipes clean in seconds."}[s["surface"]]
    r = ("Edge RGB lighting frames your setup and syncs with the rest of your gear." if s["rgb"] else
         "Stitched edges prevent fraying, and a grippy rubber base keeps it locked in place.")
    out = [a, su, r]
    if s["size"] in ("XL", "XXL"):
        out.append("The extended size fits keyboard and mouse together, ideal for low-sensitivity players.")
    return short, out


def d_headsets(n, b, s, R):
    wl = "Wireless" if s["wireless"] else "Wired"
    plat = {"PC": "PC", "Multi-platform": "PC and consoles", "PlayStation": "PS5 and PC"}[s["platform"]]
    sur = s["surround"] if s["surround"] != "Stereo" else "stereo"
    short = f"{wl} gaming headset with {s['driver_size']} mm drivers and {sur} audio for {plat}."
    a = f"The {n} uses {s['driver_size']} mm drivers tuned for positional cues and rich, detailed sound."
    su = {"Spatial": "Spatial audio support helps you pinpoint footsteps and gunfire in 3D.",
          "7.1 Virtual": "Virtual 7.1 surround widens the soundstage for immersive single-player games.",
          "Stereo": "A clean stereo tuning keeps the soundstage accurate and natural."}[s["surround"]]
    m = f"The {s['microphone'].lower()} microphone delivers clear voice chat for squad play."
    c = ("Wireless freedom and long battery life let you get up from the desk without unplugging." if s["wireless"] else
         f"At {s['weight']} g with plush memory foam, it stays comfortable through long sessions.")
    return short, [a, su, m, c]


def d_webcams(n, b, s, R):
    af = "autofocus" if s["autofocus"] else "fixed focus"
    short = f"{s['resolution']} webcam at {s['frame_rate']} fps with {af} and a {s['field_of_view']}° field of view."
    a = f"The {n} records {s['resolution']} video at up to {s['frame_rate']} fps through a {s['field_of_view']}° lens."
    f = ("Fast autofocus keeps you sharp as you move or hold products up to the camera." if s["autofocus"] else
         "A fixed-focus lens tuned for desk distance keeps you sharp without focus hunting.")
    out = [a, f]
    if s["resolution"] == "4K":
        out.append("4K capture leaves room to crop and zoom in post or in your streaming software.")
    elif s["frame_rate"] >= 60:
        out.append("60 fps capture keeps motion smooth on stream.")
    out.append("A universal clip fits monitors and laptops and doubles as a tripod mount.")
    return short, out


def d_mics(n, b, s, R):
    short = f"{s['mic_type']} {s['polar_pattern'].lower()} microphone with {s['connection']} connectivity for streaming and podcasting."
    a = f"The {n} is a {s['mic_type'].lower()} microphone with a {s['polar_pattern'].lower()} pickup pattern."
    t = ("A dynamic capsule rejects room noise and keyboard clatter, perfect for untreated rooms." if s["mic_type"] == "Dynamic" else
         "A sensitive condenser capsule captures a detailed, airy voice with plenty of presence.")
    if s["connection"] == "USB":
        conv = f" with {s['sample_rate']} kHz/{s['bit_depth']}-bit conversion" if s.get("sample_rate") else ""
        c = f"Plug-and-play USB{conv} means no audio interface is needed."
    elif s["connection"] == "XLR":
        c = "Its XLR output pairs with an audio interface or mixer for a professional signal chain."
    else:
        c = "Dual USB and XLR outputs let you start simple and upgrade to an interface later."
    x = ("Switchable polar patterns handle solo streams, interviews and group recordings." if s["polar_pattern"] == "Multi-pattern" else
         "Pair it with a boom arm to keep it close to your mouth and out of the camera frame.")
    return short, [a, t, c, x]


def d_speakers(n, b, s, R):
    kind = {"2.0": "stereo speaker pair", "2.1": "2.1 speaker system", "Soundbar": "PC soundbar"}[s["speaker_type"]]
    bt = " and Bluetooth" if s["bluetooth"] else ""
    short = f"{kind[0].upper() + kind[1:]} with {s['power']} W of power{bt}."
    a = f"The {n} is a {kind} rated at {s['power']} W."
    c = ("Bluetooth lets you stream music from your phone alongside your PC." if s["bluetooth"] else
         "Wired inputs keep the connection simple and interference-free.")
    r = ("Reactive RGB lighting responds to in-game audio and syncs with the rest of your setup." if s.get("rgb") else
         "An understated design fits both a battlestation and a home office.")
    out = [a, c, r]
    if s["speaker_type"] == "2.1":
        out.append("The dedicated subwoofer adds real low-end punch to explosions and soundtracks.")
    return short, out


def d_chairs(n, b, s, R):
    rec = f", reclines to {s['recline']}°" if s.get("recline") else ""
    short = f"{s['size']}-size gaming chair in {s['color'].lower()} {s['material']}{rec}, supports up to {s['max_load']} lb."
    a = f"The {n} is upholstered in {s['color'].lower()} {s['material']} and supports up to {s['max_load']} lb."
    m = {"PU Leather": "PU leather is easy to wipe clean and resists everyday wear.",
         "Fabric": "Breathable fabric stays cool and comfortable during long sessions."}[s["material"]]
    r = (f"It reclines up to {s['recline']} degrees and has adjustable armrests for gaming, work and relaxing." if s.get("recline") else
         "Adjustable armrests and a tuned tilt mechanism adapt to a wide range of body types.")
    z = ("The XL size is built for taller players, with a wider seat and a longer backrest." if s["size"] == "XL" else
         "Cold-cure foam in the seat holds its shape for years.")
    return short, [a, m, r, z]


def d_desks(n, b, s, R):
    adj = " with electric height adjustment" if s["height_adjustable"] else ""
    short = f"{s['width']}-inch {s['shape'].lower()} gaming desk{adj}."
    a = f"The {n} gives you a {s['width']}-inch {s['shape'].lower()} {s['color'].lower()} surface for monitors, peripherals and more."
    h = (f"Electric lifting switches between sitting and standing with memory presets and a {s['max_load']} lb capacity."
         if s["height_adjustable"] else f"A steel frame supports up to {s['max_load']} lb without wobble.")
    c = ("The L-shaped return adds room for a second monitor, laptop or streaming gear." if s["shape"] == "L-Shaped" else
         "Integrated cable management keeps power bricks and wires out of sight.")
    return short, [a, h, c]


def d_controllers(n, b, s, R):
    wl = "Wireless" if s["wireless"] else "Wired"
    he = " with Hall effect sticks" if s["hall_effect"] else ""
    short = f"{wl} controller for {s['platform']}{he}."
    a = f"The {n} is a {wl.lower()} gamepad for {s['platform']}."
    if s["hall_effect"]:
        f = "Hall effect thumbsticks use magnets instead of contact pads, eliminating stick drift."
    elif s["platform"] == "PlayStation":
        f = "Haptic feedback and adaptive triggers add texture and tension to every action."
    elif s["platform"] == "Nintendo Switch":
        f = "HD rumble, motion controls and amiibo support make it the definitive Switch controller."
    else:
        f = "Textured grips and a hybrid D-pad keep control precise in shooters and fighting games."
    c = (f"Expect up to {s['battery_life']} hours of play between charges." if s.get("battery_life") else
         "A long detachable USB cable means there are no batteries to charge.")
    out = [a, f, c]
    if any(k in n for k in ("Edge", "Elite", "Pro")):
        out.append("Remappable back buttons and adjustable trigger stops give you a competitive edge.")
    return short, out


def d_consoles(n, b, s, R):
    cap = cap_str(s["storage"])
    if s["platform"] == "PC Handheld":
        short = f"Handheld gaming PC with {cap} of storage and a {s['max_resolution']} display output."
    else:
        disc = "disc drive" if s["disc_drive"] else "digital-only design"
        short = f"{s['platform']} console with {cap} of storage, a {disc} and up to {s['max_resolution']} output."
    a = f"The {n} comes with {cap} of storage and outputs up to {s['max_resolution']}."
    p = {"PlayStation": "Play PlayStation exclusives with the DualSense controller's haptics and adaptive triggers.",
         "Xbox": "Quick Resume and Game Pass give you instant access to hundreds of games.",
         "Nintendo": "Play on the TV, on the table or in handheld mode with the vivid OLED screen.",
         "PC Handheld": "It runs your PC game library on the go and docks to a monitor or TV."}[s["platform"]]
    if s["disc_drive"]:
        d = "The built-in disc drive plays physical games and 4K Blu-ray movies."
    elif s["platform"] == "Nintendo":
        d = "Both game cards and digital downloads are supported."
    elif s["platform"] == "PC Handheld":
        d = "A microSD slot makes it easy to expand storage for bigger libraries."
    else:
        d = "The digital-only design means games download straight from the online store."
    out = [a, p, d]
    if "Pro" in n:
        out.append("An upgraded GPU and PSSR upscaling sharpen image quality at high frame rates.")
    return short, out


def d_vr(n, b, s, R):
    short = f"{s['platform']} VR headset with {s['resolution_per_eye']} per eye and a {s['refresh_rate']} Hz refresh rate."
    a = f"The {n} displays {s['resolution_per_eye']} pixels per eye at up to {s['refresh_rate']} Hz."
    t = ("Inside-out tracking uses onboard cameras, so there are no base stations to set up." if s["tracking"] == "Inside-out" else
         "External base stations provide precise tracking for room-scale play.")
    if s["platform"] == "Standalone":
        p = f"Play untethered with {s.get('storage', 128)}GB of onboard storage, or link to a PC for PC VR titles."
    elif s["platform"] == "PC VR":
        p = "It connects to a gaming PC over DisplayPort for high-fidelity PC VR games."
    else:
        p = "It connects to a PS5 with a single USB-C cable and adds eye tracking and headset haptics."
    return short, [a, t, p]


def d_laptops(n, b, s, R):
    short = f"{num(s['screen_size'])}-inch gaming laptop with {s['gpu']} graphics, {s['cpu']} and {s['ram']}GB RAM."
    a = f"The {n} pairs the {s['cpu']} with a {s['gpu']} GPU in a {num(s['screen_size'])}-inch chassis."
    d = (f"A {s['refresh_rate']} Hz display keeps motion fluid, and {s['ram']}GB of RAM with a "
         f"{cap_str(s['storage'])} SSD handles big game libraries.")
    w = (f"At just {num(s['weight'])} lb it slips into a backpack for gaming on the go." if s["weight"] <= 4.5 else
         f"At {num(s['weight'])} lb it's a true desktop replacement with the cooling to sustain high clocks.")
    out = [a, d, w]
    if "4090" in s["gpu"]:
        out.append("It's one of the fastest laptops you can buy for 4K gaming and creative workloads.")
    return short, out


def d_prebuilt(n, b, s, R):
    short = f"Gaming PC with {s['cpu']}, {s['gpu']}, {s['ram']}GB RAM and a {cap_str(s['storage'])} SSD."
    a = f"The {n} ships with the {s['cpu']} and a {s['gpu']}, ready to game out of the box."
    m = f"{s['ram']}GB of memory and a {cap_str(s['storage'])} NVMe SSD round it out, with {s['os']} preinstalled."
    t = gpu_tier(s["gpu"])
    g = {4: "It's built for 4K gaming at high settings with ray tracing enabled.",
         3: "It targets high-refresh 1440p gaming in the latest titles.",
         2: "It targets high-refresh 1440p gaming in the latest titles.",
         1: "It's an affordable entry to high-refresh 1080p gaming."}[t]
    q = "Every system is assembled, cable-managed and stress-tested before it ships."
    return short, [a, m, g, q]


def d_routers(n, b, s, R):
    kind = "access point" if "Access Point" in n else ("mesh system" if s["mesh"] else "router")
    short = f"{s['wifi_standard']} {s['bands'].lower()} {kind} with up to {s['max_speed']:,} Mbps combined speed."
    a = f"The {n} delivers {s['wifi_standard']} speeds of up to {s['max_speed']:,} Mbps across {s['bands'].lower()} radios."
    w = {"Wi-Fi 7": "Wi-Fi 7 adds 320 MHz channels and Multi-Link Operation for lower latency and higher throughput.",
         "Wi-Fi 6E": "Access to the uncongested 6 GHz band keeps gaming and streaming traffic clear of your neighbours.",
         "Wi-Fi 6": "Wi-Fi 6 with OFDMA keeps dozens of devices connected at once without slowdowns."}[s["wifi_standard"]]
    m = ("Mesh units work together to blanket large homes in seamless coverage." if s["mesh"] else
         f"A {s['wan_port']} port makes the most of {'multi-gig' if s['wan_port'] != '1GbE' else 'gigabit'} internet plans.")
    out = [a, w, m]
    if b in ("ASUS", "Netgear", "TP-Link") and not s["mesh"]:
        out.append("Gaming QoS prioritises your game traffic to keep ping low while others stream.")
    return short, out


def d_nas(n, b, s, R):
    short = f"{s['bays']}-bay NAS with {s['cpu']}, {s['ram']}GB RAM and {s['network']} networking."
    a = f"The {n} is a {s['bays']}-bay network storage server powered by an {s['cpu']} with {s['ram']}GB of memory."
    c = f"It supports up to {s['max_capacity']}TB of raw capacity and connects over {s['network']}."
    sw = {"Synology": "Synology DSM makes backups, photo libraries, media streaming and file sync easy to set up.",
          "QNAP": "QNAP's QTS offers apps for backup, virtualisation and media servers, with 2.5GbE built in."}.get(
        b, "Its app suite covers backups, photo albums and media streaming, with Docker support for more.")
    d = "Drives are sold separately; pair it with NAS-rated hard drives such as IronWolf or WD Red Plus."
    return short, [a, c, sw, d]


def d_capture(n, b, s, R):
    short = f"{s['interface']} capture card with {s['max_passthrough']} passthrough and {s['max_record']} recording."
    a = f"The {n} records up to {s['max_record']} while passing {s['max_passthrough']} through to your display with zero lag."
    i = ("The internal PCIe design keeps your desk tidy and delivers ultra-low latency to OBS." if s["interface"] == "PCIe" else
         "USB plug-and-play works with PCs and Macs, making it easy to move between setups.")
    h = ("HDR passthrough and capture preserve the vivid colours of modern consoles." if s["hdr"] else
         "It's a straightforward, affordable way to start streaming console gameplay.")
    return short, [a, i, h, "It works with OBS Studio, Streamlabs and other popular streaming software."]


def d_cables(n, b, s, R):
    br = " with a braided jacket" if s.get("braided") else ""
    label = {"HDMI 2.1": "HDMI 2.1 cable", "DP 2.1": "DisplayPort 2.1 cable", "DP 1.4": "DisplayPort 1.4 cable",
             "USB PD 3.1": "USB-C charging cable (USB PD 3.1)", "Thunderbolt 4": "Thunderbolt 4 cable",
             "Cat 8": "Cat 8 Ethernet cable", "12V-2x6": "12V-2x6 GPU power cable",
             "Type 5 PSU": "sleeved PSU cable kit for Corsair Type 5 power supplies",
             "DP 1.4 Alt Mode": "USB-C to DisplayPort 1.4 cable"}[s["standard"]]
    short = f"{s['length']}-foot {label}{br}."
    a = f"The {n} is a {s['length']}-foot {s['standard']} cable built for gaming setups."
    st = s["standard"]
    if st == "HDMI 2.1":
        x = "It carries the full 48 Gbps HDMI 2.1 signal for 4K at 120 Hz and 8K at 60 Hz with VRR, ideal for consoles and TVs."
    elif st == "DP 2.1":
        x = "UHBR20 bandwidth drives high-refresh 4K and beyond on the latest GPUs and monitors."
    elif st.startswith("DP 1.4"):
        x = "It handles 1440p at 240 Hz or 4K at 144 Hz with DSC."
    elif st == "Thunderbolt 4":
        x = "40 Gbps Thunderbolt 4 bandwidth runs docks, displays and external SSDs over a single cable."
    elif st == "USB PD 3.1":
        x = "It charges gaming laptops and handhelds at up to 240 W."
    elif st == "Cat 8":
        x = "Shielded Cat 8 construction supports speeds up to 40 Gbps and resists interference."
    else:
        x = "Individually sleeved wires add a clean, custom look to your build and are keyed to your PSU's connectors."
    c = ("A braided jacket resists kinks and fraying." if s.get("braided") else
         "Gold-plated connectors resist corrosion for a reliable connection.")
    return short, [a, x, c]


def d_paste(n, b, s, R):
    lm = s["paste_type"] == "Liquid Metal"
    cond = f" rated at {num(s['conductivity'])} W/mK" if s.get("conductivity") else ""
    short = f"{num(s['weight'])} g syringe of {'liquid metal' if lm else 'thermal paste'}{cond}."
    apps = max(2, int(s["weight"] * 3)) if not lm else 3
    a = f"The {n} provides {num(s['weight'])} g of {'liquid metal' if lm else 'thermal compound'}, enough for around {apps} CPU applications."
    e = ("It is electrically conductive, so apply it carefully and never use it with aluminium heatsinks." if s.get("electrically_conductive") else
         "It's non-conductive and non-corrosive, so it's safe for CPUs, GPUs and consoles.")
    c = (f"A thermal conductivity of {num(s['conductivity'])} W/mK helps pull heat from the chip into your cooler." if s.get("conductivity") else
         "Its formulation spreads easily and resists drying out or pumping out over time.")
    return short, [a, c, e]


def d_streaming(n, b, s, R):
    t = s["gear_type"]
    if t == "Stream Controller":
        short = f"Stream controller with {s['keys']} customisable keys that connects over {s['connection']}."
        a = f"The {n} gives you {s['keys']} customisable keys to switch scenes, launch apps and trigger effects with one press."
        x = "Plugins for OBS, Twitch, YouTube, Spotify and smart-home devices turn it into a one-touch control centre."
    elif t == "Light":
        short = f"{s['power']} W app-controlled studio light for flattering, even on-camera lighting."
        a = f"The {n} puts out soft, even light from {s['power']} W of LEDs, adjustable from your PC or phone over {s['connection']}."
        x = "Adjustable brightness and colour temperature make you look your best on stream."
    else:
        short = f"Streaming audio interface and mixer that connects over {s['connection']}."
        a = f"The {n} combines a microphone preamp, mixer and voice effects in one desk-friendly unit."
        x = "Independent channels let you balance game, chat, music and mic audio for your stream."
    return short, [a, x, "It sets up in minutes and works with every major streaming platform."]


GENRE_LINES = {
    "RPG": "Deep character builds and meaningful choices reward dozens of hours of exploration.",
    "Action": "Fast, cinematic combat and towering boss fights test your reflexes.",
    "Shooter": "Tight gunplay and a packed online suite keep your squad coming back.",
    "Racing": "Hundreds of cars and tuned handling make it fun for newcomers and experts alike.",
    "Sports": "Up-to-date rosters and online modes keep the season going all year.",
    "Strategy": "Every turn is a new decision, from diplomacy to warfare to wonders.",
    "Adventure": "A vast open world full of secrets rewards curiosity at every turn.",
    "Platformer": "Inventive levels and tight controls make it a joy for players of every age.",
}


def d_games(n, b, s, R):
    short = f"{s['genre']} game for {s['platform']}, rated {s['age_rating']}, released in {s['release_year']}."
    a = f"{n} is {'an' if s['genre'][0] in 'AEIOU' else 'a'} {s['genre'] if s['genre'] == 'RPG' else s['genre'].lower()} title for {s['platform']} from {b}."
    g = GENRE_LINES[s["genre"]]
    e = f"Rated {s['age_rating']} by the ESRB."
    return short, [a, g, e]


SW_PHRASE = {"Operating System": "the operating system", "Security": "an antivirus and online protection suite",
             "Productivity": "a productivity suite", "Creative": "a creative editing application", "Utility": "a PC utility"}


def d_software(n, b, s, R):
    short = f"{s['software_type']} software for {s['platform']}; {s['license'].lower()} license delivered as a {s['delivery'].lower()}."
    a = f"{n} is {SW_PHRASE[s['software_type']]} for {s['platform']}."
    c = f"The license covers {s['license'].lower()} and is delivered as a {s['delivery'].lower()}."
    return short, [a, c]


DESCRIBE = {
    "cpus": d_cpus, "gpus": d_gpus, "motherboards": d_motherboards, "memory": d_memory, "ssds": d_ssds,
    "hdds": d_hdds, "psus": d_psus, "cases": d_cases, "cpu-coolers": d_coolers, "case-fans": d_fans,
    "monitors": d_monitors, "keyboards": d_keyboards, "mice": d_mice, "mousepads": d_mousepads,
    "headsets": d_headsets, "webcams": d_webcams, "microphones": d_mics, "speakers": d_speakers,
    "gaming-chairs": d_chairs, "desks": d_desks, "controllers": d_controllers, "consoles": d_consoles,
    "vr": d_vr, "laptops": d_laptops, "prebuilt-desktops": d_prebuilt, "routers": d_routers, "nas": d_nas,
    "capture-cards": d_capture, "cables": d_cables, "thermal-paste": d_paste, "streaming-gear": d_streaming,
    "games": d_games, "software": d_software,
}


def describe(cat, name, brand, specs, R):
    short, sentences = DESCRIBE[cat](name, brand, specs, R)
    first, rest = sentences[0], sentences[1:]
    note = NOTES.get(name)
    if note:
        rest = [note] + rest
    # 2-4 sentences: keep the first one plus up to three more, varying how many.
    keep = min(len(rest), R.choice([2, 3, 3]) if not note else 3)
    keep = max(keep, 1)
    if len(rest) > keep:
        if note:
            idx = [0] + sorted(R.sample(range(1, len(rest)), keep - 1))
        else:
            idx = sorted(R.sample(range(len(rest)), keep))
        rest = [rest[i] for i in idx]
    return short, " ".join([first] + rest)


# ---------------------------------------------------------------------------
# SVG primitives
# ---------------------------------------------------------------------------
ATTR = {"sw": "stroke-width", "dash": "stroke-dasharray", "op": "opacity", "lc": "stroke-linecap",
        "tf": "transform", "s": "stroke", "fs": "font-size", "fw": "font-weight", "ta": "text-anchor",
        "ls": "letter-spacing", "lj": "stroke-linejoin", "fo": "fill-opacity"}


def fm(v):
    if isinstance(v, float):
        v = round(v, 1)
        if v == int(v):
            v = int(v)
    return str(v)


def at(**kw):
    return "".join(f' {ATTR.get(k, k)}="{fm(v)}"' for k, v in kw.items() if v is not None)


def R_(x, y, w, h, fill, **kw):
    return f'<rect x="{fm(x)}" y="{fm(y)}" width="{fm(w)}" height="{fm(h)}" fill="{fill}"{at(**kw)}/>'


def C_(cx, cy, r, fill, **kw):
    return f'<circle cx="{fm(cx)}" cy="{fm(cy)}" r="{fm(r)}" fill="{fill}"{at(**kw)}/>'


def E_(cx, cy, rx, ry, fill, **kw):
    return f'<ellipse cx="{fm(cx)}" cy="{fm(cy)}" rx="{fm(rx)}" ry="{fm(ry)}" fill="{fill}"{at(**kw)}/>'


def L_(x1, y1, x2, y2, stroke, w, **kw):
    return f'<line x1="{fm(x1)}" y1="{fm(y1)}" x2="{fm(x2)}" y2="{fm(y2)}" stroke="{stroke}" stroke-width="{fm(w)}"{at(**kw)}/>'


def P_(d, fill, **kw):
    return f'<path d="{d}" fill="{fill}"{at(**kw)}/>'


def T_(x, y, text, **kw):
    return f'<text x="{fm(x)}" y="{fm(y)}"{at(**kw)}>{escape(text)}</text>'


def G_(inner, tf=None, **kw):
    return f'<g{at(tf=tf, **kw)}>{inner}</g>'


def hsl(h, s, l):
    r, g, b = colorsys.hls_to_rgb((h % 360) / 360.0, l, s)
    return "#%02x%02x%02x" % (round(r * 255), round(g * 255), round(b * 255))


def hexrgb(c):
    return tuple(int(c[i:i + 2], 16) / 255 for i in (1, 3, 5))


def h32(text):
    return int(hashlib.sha256(text.encode("utf-8")).hexdigest()[:8], 16)


BRAND_COLORS = {
    "AMD": "#ed1c24", "Intel": "#0071c5", "NVIDIA": "#76b900", "ASUS": "#e2231a", "MSI": "#e4002b",
    "Gigabyte": "#f47920", "Sapphire": "#1d5fbf", "XFX": "#d71920", "PowerColor": "#e60012", "ASRock": "#3aa8e0",
    "Corsair": "#f5c400", "G.Skill": "#c8102e", "Kingston": "#e31837", "TeamGroup": "#ff6a13", "Crucial": "#00a8e1",
    "Samsung": "#1428a0", "WD": "#7b3fe4", "Sabrent": "#1f8ee6", "Seagate": "#6ebe49", "Toshiba": "#e60012",
    "Seasonic": "#1d4e9e", "be quiet!": "#f29100", "Thermaltake": "#d7141a", "Fractal Design": "#4c8c6b",
    "Lian Li": "#7f8fa6", "NZXT": "#7d3ce3", "Cooler Master": "#7a4dcf", "Noctua": "#8b5a2b", "Thermalright": "#2f80ed",
    "DeepCool": "#27a9e1", "Arctic": "#00aeef", "Phanteks": "#e8562a", "LG": "#a50034", "Dell": "#007db8",
    "ZOWIE": "#c8102e", "AOC": "#d71920", "Logitech": "#00b8fc", "Razer": "#44d62c", "SteelSeries": "#ff5200",
    "Wooting": "#f29b1d", "Keychron": "#e0483e", "HyperX": "#e31837", "Pulsar": "#4b6cff", "Lamzu": "#ff7a59",
    "Sony": "#0070d1", "Audeze": "#c9a227", "Elgato": "#1e56f0", "Insta360": "#f2b705", "Anker": "#00a7e1",
    "Shure": "#1c1c1c", "Rode": "#d71920", "Blue": "#1f6fe5", "Audio-Technica": "#2a2a2a", "Creative": "#e2231a",
    "Edifier": "#d71920", "Secretlab": "#c4161c", "Microsoft": "#107c10", "Nintendo": "#e60012", "Valve": "#1a9fff",
    "Meta": "#0668e1", "HTC": "#69be28", "Pimax": "#ff5a00", "Lenovo": "#e2231a", "HP": "#0096d6",
    "TP-Link": "#4acbd6", "Netgear": "#6c3fb5", "Ubiquiti": "#006fff", "eero": "#2f6bff", "Synology": "#3d3d3d",
    "QNAP": "#0092d4", "UGREEN": "#00a650", "TerraMaster": "#f08300", "AVerMedia": "#0078c1",
    "Thermal Grizzly": "#ef7d00", "CD PROJEKT RED": "#e8e000", "Bandai Namco": "#d4a017", "2K": "#e2231a",
}

LIGHT_WORDS = ("white", "chalk", "cookies")


def palette(key, brand, name, hue_key=None):
    h = h32(hue_key or key) % 360
    acc = BRAND_COLORS.get(brand) or hsl(h32("brand:" + brand) % 360, 0.75, 0.5)
    ar, ag, ab = hexrgb(acc)
    hh, ll, ss = colorsys.rgb_to_hls(ar, ag, ab)
    if ll < 0.38 or ss < 0.2:  # near-black/grey brand colours: use a hue-derived accent instead
        acc = hsl(h + 180, 0.7, 0.5)
    light = any(w in name.lower() for w in LIGHT_WORDS)
    p = SimpleNamespace(
        h=h, a=acc,
        b=hsl(h, 0.55, 0.5), d=hsl(h, 0.3, 0.3), k=hsl(h, 0.12, 0.14), l=hsl(h, 0.35, 0.86),
        m="#aeb6c1", g="#d9a933", ink="#15171c", light=light,
        bg1=hsl(h, 0.35, 0.94), bg2=hsl(h + 25, 0.4, 0.74),
    )
    if light:
        p.k, p.d = "#eceef2", "#c9ced6"
        p.bg1, p.bg2 = hsl(h, 0.3, 0.55), hsl(h + 25, 0.35, 0.3)
    return p


def fan(cx, cy, rad, P, blade=None):
    r0 = rad * 0.56
    seg = 2 * math.pi * r0 / 7
    return (C_(cx, cy, rad, P.d, s=P.m, sw=max(2, rad * 0.05)) +
            C_(cx, cy, r0, "none", s=blade or P.b, sw=rad * 0.72, dash=f"{seg * 0.62:.1f} {seg * 0.38:.1f}") +
            C_(cx, cy, rad * 0.25, P.k) + C_(cx, cy, rad * 0.1, P.a))


def screen_art(x, y, w, h, P):
    """Wallpaper for displays: base colour, accent wave and a glare."""
    return (R_(x, y, w, h, P.b) +
            P_(f"M{x},{y + h * 0.7:.0f} C{x + w * 0.25:.0f},{y + h * 0.3:.0f} {x + w * 0.45:.0f},{y + h:.0f} "
               f"{x + w * 0.7:.0f},{y + h * 0.55:.0f} S{x + w:.0f},{y + h * 0.45:.0f} {x + w},{y + h * 0.5:.0f}V{y + h}H{x}Z",
               P.a, op=0.75) +
            P_(f"M{x},{y}H{x + w * 0.4:.0f}L{x + w * 0.12:.0f},{y + h}H{x}Z", "#fff", op=0.1))


# ---------------------------------------------------------------------------
# Category illustrations. Each draws around (0, 0) within about x +-280, y +-235.
# ---------------------------------------------------------------------------
def dr_cpu(P, s):
    o = [L_(-150, y, 150, y, P.g, 22, dash="5 7") for y in (-184, 184)]
    o += [L_(x, -150, x, 150, P.g, 22, dash="5 7") for x in (-184, 184)]
    o += [R_(-176, -176, 352, 352, P.d, rx=16), P_("M-166,136 L-136,166 H-166Z", P.g),
          R_(-130, -130, 260, 260, P.m, rx=22, s="#8a939e", sw=4),
          R_(-95, -62, 190, 124, "none", rx=12, s=P.a, sw=7),
          L_(-70, -18, 70, -18, "#8a939e", 12, lc="round"), L_(-70, 20, 30, 20, "#8a939e", 12, lc="round")]
    return "".join(o)


def dr_gpu(P, s):
    three = s.get("length", 300) >= 270
    xs, fr = ((-175, 0, 175), 80) if three else ((-115, 115), 95)
    o = [R_(-292, -112, 24, 212, P.m, rx=4), R_(-270, -105, 540, 200, P.k, rx=24),
         R_(-270, -105, 540, 14, P.b, rx=7), R_(-250, 78, 500, 7, P.a, rx=3)]
    o += [fan(x, -8, fr, P) for x in xs]
    o.append(L_(-170, 104, 90, 104, P.g, 18, dash="6 3"))
    return "".join(o)


def dr_motherboard(P, s):
    o = [R_(-210, -210, 420, 420, P.d, rx=10), R_(-192, -196, 112, 62, P.k, rx=6), R_(-192, -196, 112, 10, P.a),
         R_(-192, -128, 52, 150, P.k, rx=6), R_(-72, -160, 144, 144, P.m, rx=8),
         R_(-52, -140, 104, 104, "none", s="#7d8793", sw=5)]
    o += [R_(x, -192, 12, 214, P.k) for x in (96, 116, 144, 164)]
    o += [R_(-182, 48, 262, 17, P.k, s=P.m, sw=3), R_(-182, 82, 200, 28, P.b, rx=6), R_(-182, 130, 262, 17, P.k),
          R_(96, 64, 96, 92, P.b, rx=10), C_(144, 110, 22, P.a), R_(190, -70, 12, 96, P.k)]
    o += [C_(x, y, 7, P.m) for x in (-190, 190) for y in (-190, 190)]
    return "".join(o)


def dr_ram(P, s):
    o = []
    for dy, op in ((-78, 0.75), (42, 1)):
        stick = [R_(-250, 18 + dy, 500, 34, "#1f5d3a"), L_(-238, 44 + dy, 238, 44 + dy, P.g, 14, dash="5 3"),
                 R_(-262, -92 + dy, 524, 112, P.b, rx=8),
                 P_(f"M-140,{-92 + dy}h90l-60,112h-90zM60,{-92 + dy}h40l-60,112h-40z", P.k, op=0.3)]
        stick.append(R_(-262, -114 + dy, 524, 24, P.a if s.get("rgb") else P.k, rx=10))
        o.append(G_("".join(stick), op=op if op < 1 else None))
    return "".join(o)


def dr_ssd(P, s):
    o = [R_(-270, -62, 540, 124, "#17402a", rx=8), L_(-262, -48, -262, 48, P.g, 16, dash="4 3"),
         C_(262, 0, 15, P.m), R_(-222, -42, 86, 84, "#23262d", rx=6)]
    if s.get("form_factor") == "2.5-inch":
        o = [R_(-240, -170, 480, 340, P.k, rx=16), R_(-210, -140, 420, 280, P.b, rx=10),
             R_(-210, -140, 420, 40, P.a, rx=10), R_(-190, 70, 160, 40, "#fff", op=0.85),
             L_(-180, 90, -40, 90, P.ink, 28, dash="2 1 3 2 1 3"), R_(-252, -20, 12, 40, P.g)]
    elif s.get("heatsink"):
        o += [R_(-236, -78, 478, 156, P.k, rx=12), L_(-220, 0, 226, 0, P.d, 140, dash="9 9"),
              R_(-236, -78, 478, 14, P.a, rx=7)]
    else:
        o += [R_(-110, -48, 150, 96, "#23262d", rx=6), R_(60, -48, 150, 96, "#23262d", rx=6),
              R_(-120, -56, 300, 112, P.b, rx=4), R_(-120, -56, 300, 18, P.a),
              L_(-100, 24, 60, 24, P.ink, 22, dash="2 1 3 2 1 3")]
    return "".join(o)


def dr_hdd(P, s):
    o = [R_(-180, -232, 360, 464, P.m, rx=20, s="#8a939e", sw=4), R_(-160, -212, 320, 424, "#c9ced6", rx=14),
         C_(0, -40, 150, "#dfe3e8", s="#9aa2ad", sw=3), C_(0, -40, 105, "none", s="#c3c9d1", sw=2),
         C_(0, -40, 30, P.m, s="#8a939e", sw=4), L_(120, 150, 20, -10, P.k, 18, lc="round"),
         C_(120, 150, 32, P.k), C_(120, 150, 12, P.m), R_(-150, 130, 200, 70, P.b, rx=6), R_(-150, 130, 200, 14, P.a)]
    o += [C_(x, y, 8, "#8a939e") for x in (-160, 160) for y in (-212, 212)]
    return "".join(o)


def dr_psu(P, s):
    o = [R_(-240, -160, 480, 320, P.k, rx=14), R_(-240, -160, 480, 16, P.b, rx=8),
         C_(-45, 10, 125, P.d, s=P.m, sw=6)]
    o += [C_(-45, 10, r, "none", s=P.m, sw=4) for r in (95, 65, 35)]
    o += [L_(-170, 10, 80, 10, P.m, 4), L_(-45, -115, -45, 135, P.m, 4),
          R_(118, -128, 100, 256, P.b, rx=8), T_(168, -6, f"{s.get('wattage', 850)}W", fs=28, fw=700, ta="middle", fill="#fff"),
          C_(168, 70, 22, P.a)]
    return "".join(o)


def dr_case(P, s, prebuilt=False):
    o = [R_(-160, -236, 320, 466, P.k, rx=16), R_(-130, -200, 150, 230, P.d, rx=4),
         C_(-55, -120, 36, P.m), R_(-130, 60, 196, 46, P.b, rx=6), R_(-140, 130, 240, 70, P.d)]
    if prebuilt:
        o += [C_(-55, -120, 44, "none", s=P.a, sw=6), R_(-130, 106, 196, 5, P.a), R_(-125, -190, 8, 210, P.a, op=0.7)]
    o += [R_(-144, -218, 248, 420, "#fff", rx=8, op=0.16, s=P.m, sw=3), R_(108, -218, 40, 420, P.d, rx=6)]
    o += [C_(128, y, 17, "none", s=P.a, sw=6) for y in (-150, -40, 70)]
    o += [R_(-140, 230, 50, 10, P.k), R_(90, 230, 50, 10, P.k)]
    return "".join(o)


def dr_prebuilt(P, s):
    return dr_case(P, s, prebuilt=True)


def dr_cooler(P, s):
    if s.get("cooler_type") == "AIO Liquid":
        n = 3 if s.get("radiator_size", 360) >= 360 else 2
        fr = 78 if n == 3 else (100 if s.get("radiator_size") == 280 else 90)
        xs = [(-1 + i) * 172 for i in range(3)] if n == 3 else [-112, 112]
        o = [P_("M-60,-110 C-60,0 -90,40 -40,95", "none", s=P.k, sw=20),
             P_("M60,-110 C60,0 90,40 40,95", "none", s=P.k, sw=20),
             R_(-272, -222, 544, 120, P.k, rx=12)]
        o += [fan(x, -162, 56, P) for x in xs]
        o += [C_(0, 140, 88, P.k, s=P.m, sw=6), C_(0, 140, 66, P.b)]
        o.append(C_(0, 140, 44, "none", s=P.a if s.get("rgb") else P.d, sw=7))
        return "".join(o)
    o = [L_(0, -196, 0, 96, "#8a939e", 300, dash="4 7"), R_(-150, -196, 300, 292, "none", s="#8a939e", sw=4)]
    o += [L_(x, 90, x, 170, "#c8773a", 14) for x in (-90, -45, 45, 90)]
    o += [C_(x, -212, 8, "#c8773a") for x in (-90, -45, 45, 90)]
    o += [R_(-156, -214, 312, 26, P.k, rx=8), R_(-120, -208, 240, 6, P.a, rx=3),
          R_(-112, 150, 224, 44, P.m, rx=6), R_(-132, -172, 264, 244, P.k, rx=30), fan(0, -50, 112, P)]
    return "".join(o)


def dr_fan(P, s):
    o = [R_(-210, -210, 420, 420, P.k, rx=52)]
    o += [C_(x, y, 14, P.d) for x in (-172, 172) for y in (-172, 172)]
    o.append(fan(0, 0, 190, P))
    if s.get("rgb"):
        o.append(C_(0, 0, 190, "none", s=P.a, sw=10))
    return "".join(o)


def dr_monitor(P, s):
    res = s.get("resolution", "2560x1440")
    h = {"3440x1440": 250, "5120x1440": 190}.get(res, 320)
    top = 112 - h
    o = [R_(-280, top, 560, h + 14, P.k, rx=12), screen_art(-266, top + 12, 532, h - 10, P),
         R_(-22, 126, 44, 80, P.m), R_(-124, 200, 248, 18, P.m, rx=9), C_(0, 119, 4, P.a)]
    return "".join(o)


def dr_keyboard(P, s):
    w = {"Full-size": 560, "TKL": 480, "75%": 430, "65%": 410, "60%": 390}.get(s.get("layout"), 500)
    x0 = -w / 2
    o = []
    if s.get("rgb"):
        o.append(R_(x0 - 7, -122, w + 14, 244, "none", rx=22, s=P.a, sw=5))
    o.append(R_(x0, -115, w, 230, P.k, rx=18))
    for y in (-80, -42, -4, 34):
        o.append(L_(x0 + 17, y, -x0 - 17, y, P.d, 32, dash="32 6"))
    o += [L_(x0 + 17, 72, x0 + 109, 72, P.d, 32, dash="32 6"), R_(x0 + 117, 56, w * 0.45, 32, P.d, rx=4),
          L_(x0 + 125 + w * 0.45, 72, -x0 - 17, 72, P.d, 32, dash="32 6"), R_(x0 + 17, -96, 32, 32, P.a, rx=4)]
    return "".join(o)


def dr_mouse(P, s):
    if s.get("shape") == "Ergonomic":
        body = "M10,-215 C130,-210 160,-70 165,40 C170,170 100,225 0,220 C-110,215 -150,150 -145,40 C-140,-60 -150,-210 10,-215Z"
    else:
        body = "M0,-215 C120,-215 150,-80 150,40 C150,160 95,220 0,220 C-95,220 -150,160 -150,40 C-150,-80 -120,-215 0,-215Z"
    o = [R_(-162, -30, 24, 46, P.d, rx=8), R_(-162, 24, 24, 46, P.d, rx=8), P_(body, P.b),
         E_(-40, -110, 50, 80, "#fff", op=0.12), L_(0, -214, 0, -60, P.k, 5), R_(-15, -172, 30, 66, P.k, rx=15),
         R_(-8, -162, 16, 46, P.a, rx=8), C_(0, 110, 26, P.a, op=0.85)]
    return "".join(o)


def dr_mousepad(P, s):
    w, h = {"XXL": (560, 250), "XL": (530, 240), "Large": (420, 330), "Medium": (360, 280)}.get(s.get("size"), (500, 260))
    surf = {"Glass": "#e8eef5", "Hybrid": P.d}.get(s.get("surface"), P.k)
    o = [R_(-w / 2, -h / 2, w, h, surf, rx=18, s=P.a if s.get("rgb") else P.d, sw=9),
         P_(f"M{-w / 2 + 9},{h / 2 - 70} C{-w / 4:.0f},{h / 2 - 150} 0,{h / 2 - 20} {w / 2 - 9},{h / 2 - 110} V{h / 2 - 9} H{-w / 2 + 9}Z",
            P.b, op=0.55),
         C_(w / 2 - 70, -h / 2 + 60, 26, P.a, op=0.9)]
    return G_("".join(o), tf="skewX(-12)")


def dr_headset(P, s):
    o = [P_("M-175,40 C-180,-255 180,-255 175,40", "none", s=P.k, sw=34, lc="round"),
         P_("M-150,10 C-150,-205 150,-205 150,10", "none", s=P.d, sw=14, lc="round")]
    for x in (-1, 1):
        cx = 188 * x
        o += [R_(cx - 52, -30, 104, 196, P.b, rx=48), R_(cx - 36, -4, 72, 144, P.k, rx=32),
              C_(cx, 68, 22, P.a), R_(cx - 12 - 40 * x - (0 if x < 0 else 0), -12, 24, 170, P.d, rx=12)]
    o += [P_("M-200,160 C-190,225 -110,228 -62,205", "none", s=P.k, sw=12, lc="round"), C_(-58, 204, 15, P.k)]
    return "".join(o)


def dr_webcam(P, s):
    o = [P_("M-60,82 L60,82 L45,150 L-45,150Z", P.d), R_(-95, 148, 190, 22, P.k, rx=8),
         R_(-212, -86, 424, 172, P.k, rx=86), R_(-150, -86, 300, 10, P.b, rx=5),
         C_(0, 0, 72, "#0d0f14", s=P.m, sw=10), C_(0, 0, 44, P.d), C_(0, 0, 22, "#000"),
         C_(-15, -15, 9, "#fff", op=0.55), C_(140, 0, 10, P.a), C_(-140, 0, 14, "#0d0f14")]
    if s.get("resolution") == "4K":
        o.append(T_(140, 48, "4K", fs=26, fw=700, ta="middle", fill=P.m))
    return "".join(o)


def dr_mic(P, s):
    o = [P_("M-110,-70 V70 Q-110,120 -60,120 H60 Q110,120 110,70 V-70", "none", s=P.d, sw=14),
         R_(-10, 120, 20, 80, P.d), R_(-130, 196, 260, 26, P.k, rx=13),
         R_(-82, -232, 164, 254, P.m if s.get("mic_type") == "Condenser" else P.k, rx=82),
         L_(0, -205, 0, 0, P.d if s.get("mic_type") == "Condenser" else "#3a3f48", 116, dash="4 6"),
         R_(-86, 0, 172, 26, P.a, rx=6), R_(-72, 26, 144, 92, P.k, rx=22), C_(0, 70, 10, P.b)]
    return "".join(o)


def dr_speaker(P, s):
    t = s.get("speaker_type", "2.0")
    if t == "Soundbar":
        o = [R_(-272, -52, 544, 104, P.k, rx=42), L_(-232, 0, 232, 0, P.d, 64, dash="3 5"),
             R_(-252, 54, 504, 8, P.a, rx=4), C_(0, 0, 16, P.a)]
        return "".join(o)
    o = []
    for x in (-152, 152):
        o += [R_(x - 88, -186, 176, 372, P.k, rx=18), C_(x, 64, 64, P.d, s=P.m, sw=6), C_(x, 64, 24, P.k),
              C_(x, -88, 28, P.d, s=P.m, sw=4), R_(x - 40, 146, 80, 6, P.a, rx=3)]
    if t == "2.1":
        o += [R_(-62, 40, 124, 190, P.d, rx=12), C_(0, 125, 46, P.k, s=P.m, sw=5), C_(0, 125, 14, P.a)]
    return "".join(o)


def dr_chair(P, s):
    o = [P_("M0,185 L-160,205 M0,185 L160,205 M0,185 L-80,225 M0,185 L80,225", "none", s=P.k, sw=14, lc="round"),
         C_(-160, 212, 12, P.d), C_(160, 212, 12, P.d), C_(-80, 230, 12, P.d), C_(80, 230, 12, P.d),
         R_(-14, 112, 28, 76, P.m), P_("M-115,-235 Q0,-255 115,-235 L125,60 L-125,60Z", P.k),
         P_("M-115,-235 L-84,-240 L-94,60 L-125,60Z", P.b), P_("M115,-235 L84,-240 L94,60 L125,60Z", P.b),
         R_(-60, -208, 120, 48, P.d, rx=22), R_(-70, -22, 140, 44, P.d, rx=20), R_(-165, 52, 330, 62, P.k, rx=24),
         R_(-165, 52, 330, 8, P.a, rx=4), R_(-196, -4, 56, 16, P.d, rx=8), R_(-176, 10, 14, 50, P.d),
         R_(140, -4, 56, 16, P.d, rx=8), R_(162, 10, 14, 50, P.d)]
    return "".join(o)


def dr_desk(P, s):
    o = [R_(-124, -206, 248, 146, P.d, rx=6), screen_art(-112, -196, 224, 124, P), R_(-10, -60, 20, 22, P.m)]
    if s.get("shape") == "L-Shaped":
        o.insert(0, P_("M120,-40 L190,-126 H276 V-40Z", P.d))
    o += [R_(-276, -40, 552, 32, P.k, rx=6), R_(-276, -14, 552, 6, P.a), R_(60, -50, 150, 10, P.d, rx=3)]
    if s.get("height_adjustable"):
        o += [R_(-232, -8, 30, 200, P.m), R_(202, -8, 30, 200, P.m), R_(150, -8, 40, 14, P.k, rx=4),
              C_(160, -1, 3, P.a)]
    else:
        o.append(P_("M-236,-8 L-200,190 M236,-8 L200,190 M-220,80 H220", "none", s=P.m, sw=22))
    o += [R_(-266, 190, 100, 14, P.k, rx=7), R_(166, 190, 100, 14, P.k, rx=7)]
    return "".join(o)


def dpad(x, y, fill):
    return P_(f"M{x - 9},{y - 30}h18v21h21v18h-21v21h-18v-21h-21v-18h21z", fill)


def buttons4(x, y, cols):
    return "".join(C_(x + dx, y + dy, 13, c) for (dx, dy), c in zip(((0, -28), (28, 0), (0, 28), (-28, 0)), cols))


def dr_controller(P, s):
    plat = s.get("platform", "")
    body = ("M-150,-100 H150 C225,-100 265,20 260,120 C255,205 185,215 150,160 L115,105 H-115 "
            "L-150,160 C-185,215 -255,205 -260,120 C-265,20 -225,-100 -150,-100Z")
    o = [P_(body, P.b), P_("M-150,-100 H150 C190,-100 215,-70 230,-40 H-230 C-215,-70 -190,-100 -150,-100Z", P.k, op=0.35)]
    if plat == "PlayStation":
        o += [R_(-72, -84, 144, 72, P.k, rx=10), C_(-78, 52, 36, P.k), C_(-78, 52, 22, P.d), C_(78, 52, 36, P.k),
              C_(78, 52, 22, P.d), dpad(-160, -10, P.k), buttons4(160, -10, ("#2bb673", "#e8465c", "#3b8fe8", "#e07ad8"))]
    else:
        o += [C_(-150, -12, 36, P.k), C_(-150, -12, 22, P.d), C_(70, 60, 36, P.k), C_(70, 60, 22, P.d),
              dpad(-70, 60, P.k), buttons4(150, -12, ("#f2c200", "#e8465c", "#2bb673", "#3b8fe8")),
              C_(0, -40, 16, P.a)]
    return "".join(o)


def dr_console(P, s):
    plat = s.get("platform", "")
    if plat in ("Nintendo", "PC Handheld"):
        if plat == "Nintendo":
            lc, rc = ("#00b4e6", "#ff4554") if "Neon" in s.get("_name", "") else ("#eef0f3", "#eef0f3")
        else:
            lc = rc = P.k
        o = [R_(-270, -112, 110, 224, lc, rx=46), R_(160, -112, 110, 224, rc, rx=46),
             R_(-180, -112, 360, 224, P.k), R_(-166, -98, 332, 196, "#0d0f14", rx=6), screen_art(-156, -88, 312, 176, P),
             C_(-215, -50, 24, P.d), dpad(-215, 40, P.d), C_(215, 50, 24, P.d),
             buttons4(215, -40, (P.d, P.d, P.d, P.d))]
        return "".join(o)
    if plat == "PlayStation":
        o = [R_(-52, -236, 104, 472, P.k, rx=20), P_("M-52,-226 C-140,-232 -152,-100 -128,236 H-52Z", "#f1f3f6"),
             P_("M52,-226 C140,-232 152,-100 128,236 H52Z", "#f1f3f6"), L_(-54, -200, -54, 200, P.a, 4),
             L_(54, -200, 54, 200, P.a, 4)]
        if s.get("disc_drive"):
            o.append(R_(-3, -140, 6, 120, "#000"))
        return "".join(o)
    # Xbox-style tower
    o = [R_(-150, -236, 300, 472, P.k, rx=14), E_(0, -236, 150, 14, P.d), L_(-110, -200, 110, -200, "#000", 22, dash="8 6"),
         C_(-110, -150, 10, P.a)]
    if s.get("disc_drive"):
        o.append(R_(-110, 40, 220, 8, "#000"))
    return "".join(o)


def dr_vr(P, s):
    o = [P_("M-200,-40 C-300,-40 -300,120 -200,110", "none", s=P.d, sw=28),
         P_("M200,-40 C300,-40 300,120 200,110", "none", s=P.d, sw=28),
         P_("M-120,112 Q0,170 120,112", "none", s=P.k, sw=22), R_(-232, -122, 464, 236, P.l, rx=100),
         R_(-204, -98, 408, 188, P.k, rx=82), R_(-60, 62, 120, 8, P.a, rx=4)]
    o += [C_(x, y, 15, "#000", s=P.m, sw=3) for x in (-150, 150) for y in (-38, 38)]
    return "".join(o)


def dr_laptop(P, s):
    o = [R_(-238, -228, 476, 306, P.k, rx=14), screen_art(-221, -211, 442, 270, P), R_(-200, 74, 400, 12, P.d),
         P_("M-250,84 H250 L295,150 H-295Z", P.d), P_("M-200,94 H200 L222,124 H-222Z", P.k),
         L_(-200, 101, 200, 101, P.d, 4, dash="12 4"), L_(-210, 111, 210, 111, P.d, 4, dash="12 4"),
         P_("M-46,130 H46 L49,145 H-49Z", P.k), R_(-296, 150, 592, 12, P.k, rx=5), R_(-200, 152, 400, 4, P.a)]
    return "".join(o)


def dr_router(P, s):
    name = s.get("_name", "")
    if "Access Point" in name:
        return C_(0, 0, 205, P.l, s=P.m, sw=6) + C_(0, 0, 150, "none", s=P.d, sw=3) + C_(0, 0, 186, "none", s=P.a, sw=6)
    if s.get("mesh"):
        n = 3 if "3-Pack" in name else 2
        xs = (-170, 0, 170) if n == 3 else (-100, 100)
        o = []
        for x in xs:
            o += [R_(x - 68, -150, 136, 300, P.l, rx=44, s=P.d, sw=5), C_(x, -60, 22, "none", s=P.d, sw=5),
                  C_(x, 110, 7, P.a)]
        return "".join(o)
    n = {"Dual-band": 4, "Tri-band": 6, "Quad-band": 8}.get(s.get("bands"), 4)
    o = []
    for i in range(n):
        x = -200 + 400 * i / (n - 1)
        o.append(L_(x, 20, x + (-18 if i < n / 2 else 18), -210, P.k, 22, lc="round"))
    o += [P_("M-190,0 H190 L240,70 H-240Z", P.d), R_(-240, 70, 480, 62, P.k, rx=10),
          L_(-170, 101, 60, 101, P.a, 8, dash="10 14"), R_(120, 93, 80, 16, P.b, rx=8)]
    return "".join(o)


def dr_nas(P, s):
    bays = int(s.get("bays", 4))
    w = 120 + bays * 72
    x0 = -w / 2
    o = [R_(x0, -200, w, 400, P.k, rx=18), R_(x0 + 14, -186, w - 28, 58, P.d, rx=8),
         L_(x0 + 30, -157, x0 + 120, -157, P.a, 8, dash="8 14")]
    for i in range(bays):
        x = x0 + 60 + i * 72
        o += [R_(x - 30, -110, 60, 290, P.d, rx=6), L_(x, -76, x, 120, P.k, 34, dash="3 6"),
              L_(x - 15, -92, x + 15, -92, P.m, 6), C_(x, 155, 6, P.a)]
    return "".join(o)


def dr_capture(P, s):
    if s.get("interface") == "PCIe":
        o = [R_(-292, -112, 24, 200, P.m, rx=4), R_(-266, -95, 510, 180, P.k, rx=14),
             R_(-210, -72, 310, 112, P.b, rx=10), L_(-196, -16, 90, -16, P.d, 90, dash="6 8"),
             L_(-180, 96, 60, 96, P.g, 16, dash="6 3"), C_(170, -10, 32, P.a)]
        return "".join(o)
    o = [R_(-250, -40, 18, 30, P.m), R_(-250, 12, 18, 30, P.m), R_(232, -20, 18, 40, P.m),
         R_(-235, -85, 470, 170, P.k, rx=44), R_(-200, -85, 400, 14, P.b, rx=7),
         R_(-120, -8, 240, 12, P.a, rx=6), C_(150, 0, 22, P.b)]
    return "".join(o)


def dr_cable(P, s):
    col = P.b
    o = [E_(-40 + d, -30 + d * 0.6, 170, 118, "none", s=col, sw=16) for d in (-30, 0, 30)]
    o += [P_("M-205,-10 C-240,60 -250,100 -250,150", "none", s=col, sw=16),
          P_("M120,30 C200,60 250,100 250,150", "none", s=col, sw=16)]
    for x in (-250, 250):
        o += [R_(x - 20, 146, 40, 62, P.k, rx=6), R_(x - 20, 146, 40, 8, P.a), R_(x - 13, 208, 26, 24, P.m, rx=2)]
    return "".join(o)


def dr_paste(P, s):
    lm = s.get("paste_type") == "Liquid Metal"
    o = [R_(-202, -46, 334, 92, P.l, rx=14, s=P.m, sw=4), R_(-190, -32, 222, 64, "#c9ced6" if lm else "#8d959f"),
         R_(-122, -46, 204, 92, P.b), R_(-122, -46, 204, 14, P.a),
         T_(-20, 22, f"{fm(float(s.get('weight', 4)))}g", fs=36, fw=700, ta="middle", fill="#fff"),
         P_("M-202,-26 L-262,-9 V9 L-202,26Z", P.l, s=P.m, sw=4), L_(-260, 0, -280, 0, "#8d959f", 12),
         R_(132, -20, 110, 40, P.d), R_(130, -72, 14, 144, P.l, s=P.m, sw=3), R_(240, -52, 20, 104, P.d, rx=6)]
    return G_("".join(o), tf="rotate(-18)")


def dr_streaming(P, s):
    t = s.get("gear_type", "Stream Controller")
    if t == "Light":
        if "Ring" in s.get("_name", ""):
            o = [R_(-10, 60, 20, 140, P.m), R_(-60, 196, 120, 26, P.k, rx=6),
                 C_(0, -70, 172, "none", s=P.k, sw=52), C_(0, -70, 172, "none", s="#fff6de", sw=36),
                 R_(-28, -110, 56, 100, P.k, rx=10)]
        else:
            o = [R_(-10, 20, 20, 180, P.m), R_(-60, 196, 120, 26, P.k, rx=6),
                 R_(-214, -226, 428, 256, P.k, rx=16), R_(-200, -212, 400, 228, "#fff6de", rx=10),
                 R_(-200, -212, 400, 228, P.a, rx=10, op=0.12)]
        return "".join(o)
    if t == "Audio Interface":
        o = [R_(-255, -95, 510, 190, P.k, rx=22)]
        o += [C_(x, -20, 34, P.d, s=P.m, sw=4) for x in (-180, -90, 0)]
        o += [L_(x, -20, x, -48, "#fff", 5, lc="round") for x in (-180, -90, 0)]
        o += [C_(150, 0, 62, P.d, s=P.a, sw=8), L_(-210, 55, 40, 55, P.a, 10, dash="10 5")]
        return "".join(o)
    keys = int(s.get("keys") or 15)
    rows, cols, kw = (4, 8, 44) if keys >= 32 else ((2, 4, 70) if keys <= 8 else (3, 5, 62))
    gap = 14
    w = cols * kw + (cols - 1) * gap
    h = rows * kw + (rows - 1) * gap
    o = [P_(f"M-150,{h / 2 + 30:.0f} L150,{h / 2 + 30:.0f} L190,{h / 2 + 90:.0f} H-190Z", P.d),
         R_(-w / 2 - 28, -h / 2 - 28, w + 56, h + 56, P.k, rx=26)]
    colors = (P.a, P.b, P.l, P.d if keys >= 32 else P.a)
    for i in range(rows):
        y = -h / 2 + kw / 2 + i * (kw + gap)
        o.append(L_(-w / 2, y, w / 2, y, colors[i % 4], kw, dash=f"{kw} {gap}"))
    if keys <= 8:
        o += [R_(-w / 2, h / 2 + 34, w, 40, "#0d0f14", rx=6)]
    return "".join(o)


PLATFORM_COLORS = {"PS5": ("#0070d1", "PS5"), "PC": ("#23272f", "PC"),
                   "Xbox Series X|S": ("#107c10", "XBOX"), "Nintendo Switch": ("#e60012", "SWITCH")}


def dr_game(P, s):
    col, lab = PLATFORM_COLORS.get(s.get("platform"), ("#23272f", "GAME"))
    age = s.get("age_rating", "T")
    o = [R_(-168, -234, 336, 468, col, rx=14), R_(-150, -186, 300, 402, P.d), C_(60, -70, 60, P.a),
         P_("M-150,120 L-60,-10 L0,60 L70,-40 L150,90 V216 H-150Z", P.k),
         P_("M-150,216 V150 Q0,90 150,160 V216Z", P.b),
         T_(0, -199, lab, fs=28, fw=700, ta="middle", fill="#fff", ls=2),
         R_(-138, 158, 46, 46, "#fff", rx=4),
         T_(-115, 189, age, fs=22 if len(age) < 3 else 15, fw=700, ta="middle", fill="#000")]
    return "".join(o)


def dr_software(P, s):
    t = s.get("software_type", "Utility")
    o = [P_("M150,-200 L200,-235 V165 L150,200Z", P.d), P_("M-150,-200 L-100,-235 H200 L150,-200Z", P.l),
         R_(-150, -200, 300, 400, P.b)]
    if t == "Operating System":
        o += [R_(x, y, 68, 68, "#fff", op=0.92) for x in (-74, 6) for y in (-124, -44)]
    elif t == "Security":
        o.append(P_("M0,-140 L84,-108 V-36 C84,24 44,58 0,78 C-44,58 -84,24 -84,-36 V-108Z", "#fff", op=0.92))
        o.append(P_("M-36,-36 L-8,-6 L40,-62", "none", s=P.a, sw=14, lc="round"))
    else:
        o += [C_(0, -40, 82, "none", s="#fff", sw=18, op=0.92), C_(0, -40, 26, P.a)]
    o += [R_(-150, 120, 300, 56, P.k), R_(-150, 120, 300, 8, P.a)]
    return "".join(o)


DRAW = {
    "cpus": dr_cpu, "gpus": dr_gpu, "motherboards": dr_motherboard, "memory": dr_ram, "ssds": dr_ssd,
    "hdds": dr_hdd, "psus": dr_psu, "cases": dr_case, "cpu-coolers": dr_cooler, "case-fans": dr_fan,
    "monitors": dr_monitor, "keyboards": dr_keyboard, "mice": dr_mouse, "mousepads": dr_mousepad,
    "headsets": dr_headset, "webcams": dr_webcam, "microphones": dr_mic, "speakers": dr_speaker,
    "gaming-chairs": dr_chair, "desks": dr_desk, "controllers": dr_controller, "consoles": dr_console,
    "vr": dr_vr, "laptops": dr_laptop, "prebuilt-desktops": dr_prebuilt, "routers": dr_router, "nas": dr_nas,
    "capture-cards": dr_capture, "cables": dr_cable, "thermal-paste": dr_paste, "streaming-gear": dr_streaming,
    "games": dr_game, "software": dr_software,
}

# Where the "Detail" view zooms in (object coordinates).
DETAIL_FOCUS = {"gpus": (-120, 0), "motherboards": (-40, -90), "memory": (-120, -20), "ssds": (-120, 0),
                "hdds": (0, -40), "psus": (-45, 10), "cases": (40, -60), "cpu-coolers": (0, -60),
                "monitors": (-100, -40), "keyboards": (-120, -20), "mice": (0, -120), "headsets": (-180, 40),
                "microphones": (0, -110), "speakers": (-150, 0), "gaming-chairs": (0, -150), "desks": (0, -130),
                "controllers": (100, -10), "consoles": (0, -100), "vr": (-100, 0), "laptops": (0, -80),
                "prebuilt-desktops": (40, -60), "routers": (0, 40), "nas": (-40, 0), "capture-cards": (80, 0),
                "cables": (220, 160), "thermal-paste": (-60, 0), "streaming-gear": (0, -40), "games": (0, -60),
                "software": (0, -40)}


# ---------------------------------------------------------------------------
# Text layout (approximate bold sans-serif advance widths, in em)
# ---------------------------------------------------------------------------
# Advance widths of DejaVu Sans Bold (a wide fallback font), so text also fits in narrower system fonts.
_W = {" ": 0.35, ".": 0.38, ",": 0.38, ":": 0.4, ";": 0.4, "-": 0.42, "(": 0.46, ")": 0.46, "!": 0.44,
      "|": 0.37, "&": 0.88, "+": 0.84, "'": 0.3, "/": 0.37, "%": 1.0, "?": 0.58, "_": 0.5,
      "f": 0.44, "i": 0.35, "j": 0.35, "l": 0.35, "r": 0.5, "t": 0.48, "m": 1.05, "w": 0.93, "c": 0.6,
      "s": 0.6, "z": 0.59, "I": 0.38, "J": 0.38, "L": 0.64, "M": 1.0, "W": 1.1, "E": 0.69, "F": 0.69,
      "T": 0.69}


def char_w(ch):
    if ch in _W:
        return _W[ch]
    if ch.isdigit():
        return 0.7
    if ch.isupper():
        return 0.8
    return 0.7


def text_w(s, fs):
    return sum(char_w(c) for c in s) * fs


def wrap(text, fs, max_w):
    lines, cur = [], ""
    for word in text.split():
        cand = f"{cur} {word}".strip()
        if cur and text_w(cand, fs) > max_w:
            lines.append(cur)
            cur = word
        else:
            cur = cand
    if cur:
        lines.append(cur)
    return lines


def fit_lines(text, max_w, fs_max, fs_min, max_lines):
    fs = fs_max
    while fs >= fs_min:
        lines = wrap(text, fs, max_w)
        if len(lines) <= max_lines and all(text_w(l, fs) <= max_w for l in lines):
            return fs, lines
        fs -= 2
    lines = wrap(text, fs_min, max_w)
    return fs_min, lines


def fit_size(text, max_w, fs_max, fs_min=10):
    fs = fs_max
    while fs > fs_min and text_w(text, fs) > max_w:
        fs -= 1
    return fs


def gradient(P, x2="0", y2="1", x1="0", y1="0"):
    return (f'<defs><linearGradient id="bg" x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}">'
            f'<stop offset="0" stop-color="{P.bg1}"/><stop offset="1" stop-color="{P.bg2}"/></linearGradient></defs>'
            '<rect width="100%" height="100%" fill="url(#bg)"/>')


def spec_value(spec, v):
    key, label, kind, unit, facet = spec
    if kind == B:
        return "Yes" if v else "No"
    if kind == N:
        if unit == "GB" and v >= 1000:
            return cap_str(v).replace("TB", " TB")
        txt = f"{v:,}" if isinstance(v, int) and v >= 10000 else num(v)
        if unit in ("°",):
            return f"{txt}{unit}"
        return f"{txt} {unit}" if unit else txt
    return str(v)


def badge_text(cat_specs, specs):
    for spec in cat_specs:
        if spec[4] and spec[2] == N and spec[0] in specs:
            v = specs[spec[0]]
            if spec[3]:
                return spec_value(spec, v)
            return f"{num(v)} {spec[1].lower()}" if len(spec[1]) < 9 else num(v)
    for spec in cat_specs:
        if spec[4] and spec[2] == T and spec[0] in specs and len(str(specs[spec[0]])) <= 12:
            return str(specs[spec[0]])
    return None


VIEWS = [("front", "Front", "front view"), ("angle", "Angle", "angled three-quarter view"),
         ("detail", "Detail", "close-up detail"), ("back", "Back", "rear view with key specs"),
         ("box", "Box", "retail packaging")]


def product_svg(cat, prod, n, P):
    key, label, alt_tail = VIEWS[n - 1]
    specs = dict(prod["specs"], _name=prod["name"])
    obj = DRAW[cat["slug"]](P, specs)
    alt = f"{prod['name']}, {alt_tail}"
    out = ['<svg xmlns="http://www.w3.org/2000/svg" width="800" height="800" viewBox="0 0 800 800" '
           f'font-family="system-ui, sans-serif"><title>{escape(alt)}</title>']
    head_ink = P.ink
    if key == "front":
        out += [gradient(P), E_(400, 640, 250, 20, "#000", op=0.13), G_(obj, "translate(400,395)")]
    elif key == "angle":
        out += [gradient(P, x2="1", y2="1"), E_(420, 640, 230, 18, "#000", op=0.13),
                G_(obj, "translate(400,395) rotate(-12) skewX(-8) scale(.88)")]
    elif key == "detail":
        fx, fy = DETAIL_FOCUS.get(cat["slug"], (0, 0))
        out += [gradient(P, x1="1", x2="0", y2="1"), G_(obj, f"translate(400,400) scale(1.7) translate({-fx},{-fy})"),
                R_(0, 0, 800, 124, "#fff", op=0.6)]
        bt = badge_text(cat["specs_def"], prod["specs"])
        if bt:
            out += [C_(672, 226, 84, P.a, s="#fff", sw=6),
                    T_(672, 236, bt, fs=fit_size(bt, 140, 34), fw=800, ta="middle", fill="#fff")]
    elif key == "back":
        out += [gradient(P, y1="1", y2="0"), G_(obj, "translate(230,392) scale(-.6,.6)")]
        rows = [sp for sp in cat["specs_def"] if sp[0] in prod["specs"]]
        rows = ([sp for sp in rows if sp[4]] + [sp for sp in rows if not sp[4]])[:4]
        out.append(R_(444, 168, 316, 40 + 74 * len(rows), "#fff", rx=18, op=0.88))
        y = 208
        for sp in rows:
            val = spec_value(sp, prod["specs"][sp[0]])
            out += [T_(470, y, sp[1].upper(), fs=15, fw=600, fill="#5b6270", ls=1),
                    T_(470, y + 32, val, fs=fit_size(val, 266, 26), fw=700, fill=P.ink)]
            y += 74
    else:  # box
        brand = prod["brand"]
        inner = [P_("M170,-215 L225,-250 V175 L170,215Z", P.d), P_("M-170,-215 L-115,-250 H225 L170,-215Z", P.l),
                 R_(-170, -215, 340, 430, P.k if not P.light else "#2a2e36"), R_(-170, 120, 340, 50, P.a),
                 T_(0, -168, brand.upper(), fs=fit_size(brand.upper(), 300, 30), fw=800, ta="middle", fill="#fff", ls=1),
                 R_(-150, -138, 300, 246, "#fff", rx=12, op=0.16), G_(obj, "translate(0,-10) scale(.48)"),
                 T_(0, 153, cat["name"], fs=fit_size(cat["name"], 300, 22), fw=600, ta="middle", fill="#fff")]
        out += [gradient(P, x2="1", y2="1"), E_(420, 622, 240, 18, "#000", op=0.15), G_("".join(inner), "translate(400,400)")]
    if P.light and key != "detail":
        head_ink = "#fff"
    bfs = fit_size(prod["brand"], 560, 32)
    out += [T_(48, 82, prod["brand"], fs=bfs, fw=700, fill=head_ink), R_(48, 98, 56, 6, P.a, rx=3),
            R_(648, 50, 104, 40, "#15171c", rx=20, op=0.78),
            T_(700, 77, label, fs=20, fw=600, ta="middle", fill="#fff"),
            R_(0, 652, 800, 148, "#fff", op=0.8)]
    fs, lines = fit_lines(prod["name"], 720, 42, 26, 2)
    lh = fs * 1.18
    y0 = 726 - (len(lines) - 1) * lh / 2 + fs * 0.35
    for i, line in enumerate(lines):
        out.append(T_(400, y0 + i * lh, line, fs=fs, fw=700, ta="middle", fill=P.ink))
    out.append("</svg>\n")
    return "".join(out)


def category_svg(cat):
    P = palette(cat["slug"], cat["name"], cat["name"], hue_key="cat:" + cat["slug"])
    sample = dict(PRODUCT_DEFAULTS.get(cat["slug"], {}), _name="")
    obj = DRAW[cat["slug"]](P, sample)
    fs = fit_size(cat["name"], 360, 30)
    return ('<svg xmlns="http://www.w3.org/2000/svg" width="400" height="300" viewBox="0 0 400 300" '
            f'font-family="system-ui, sans-serif"><title>{escape(cat["name"])}</title>' + gradient(P, x2="1", y2="1") +
            E_(200, 228, 110, 9, "#000", op=0.12) + G_(obj, "translate(200,126) scale(.42)") +
            R_(0, 242, 400, 58, "#fff", op=0.82) +
            T_(200, 282, cat["name"], fs=fs, fw=700, ta="middle", fill=P.ink) + "</svg>\n")


# Specs used to draw the category illustrations.
PRODUCT_DEFAULTS = {
    "gpus": {"length": 320}, "memory": {"rgb": True}, "ssds": {"form_factor": "M.2 2280"},
    "psus": {"wattage": 850}, "cpu-coolers": {"cooler_type": "Air"}, "case-fans": {"rgb": True},
    "monitors": {"resolution": "2560x1440"}, "keyboards": {"layout": "TKL", "rgb": True},
    "mice": {"shape": "Symmetrical"}, "mousepads": {"size": "XL", "rgb": True}, "webcams": {"resolution": "1080p"},
    "microphones": {"mic_type": "Condenser"}, "speakers": {"speaker_type": "2.1"}, "desks": {"height_adjustable": True},
    "controllers": {"platform": "Xbox / PC"}, "consoles": {"platform": "Nintendo"}, "routers": {"bands": "Tri-band"},
    "nas": {"bays": 4}, "capture-cards": {"interface": "USB 3.0"}, "thermal-paste": {"weight": 4},
    "streaming-gear": {"gear_type": "Stream Controller", "keys": 15}, "games": {"platform": "PC", "age_rating": "M"},
    "software": {"software_type": "Operating System"},
}


# ---------------------------------------------------------------------------
# Catalog assembly
# ---------------------------------------------------------------------------
def slugify(name):
    s = name.lower().replace("+", " plus ").replace("&", " ").replace("'", "")
    s = re.sub(r"[^a-z0-9]+", "-", s).strip("-")
    return re.sub(r"-+", "-", s)


SKU_DROP = {"GAMING", "GEFORCE", "RADEON", "WITH", "THE", "AND", "OF", "FOR", "A", "X|S"}
SKU_ABBR = {"WHITE": "WHT", "BLACK": "BLK", "WIRELESS": "WL", "EDITION": "ED", "SUPERLIGHT": "SL",
            "LIGHTSPEED": "LS", "CONTROLLER": "CTL", "HEATSINK": "HS"}


def sku_parts(brand, name):
    brand_tokens = {re.sub(r"[^A-Z0-9]", "", t.upper()) for t in brand.split()}
    toks = []
    for raw in re.split(r"[\s/]+", name):
        t = "PLUS" if raw == "+" else re.sub(r"[^A-Z0-9]", "", raw.upper().replace("+", "P"))
        if not t or t in brand_tokens or t in SKU_DROP:
            continue
        t = SKU_ABBR.get(t, t)[:10]
        if toks and t.isdigit() and toks[-1].isalpha() and len(toks[-1]) <= 4:
            toks[-1] += t
        else:
            toks.append(t)
    digit = [t for t in toks if any(c.isdigit() for c in t)]
    if len(digit) > 1:  # "Ryzen 7 7800X3D" -> drop the lone "7"
        digit = [t for t in digit if len(t) > 1] or digit
    return digit + [t for t in toks if not any(c.isdigit() for c in t)]


def product_rng(slug, salt=""):
    return random.Random(int(hashlib.sha256(f"octablitz:{salt}{slug}".encode()).hexdigest()[:16], 16))


START_TS = int(dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc).timestamp())
END_TS = int(dt.datetime(2026, 11, 1, tzinfo=dt.timezone.utc).timestamp())


def build_catalog():
    cats, cat_by_slug = [], {}
    for slug, name, desc, prefix, specs in CATEGORIES:
        c = {"slug": slug, "name": name, "description": desc, "image": f"{slug}.svg",
             "specs": [{"key": k, "label": lab, "kind": kind, "unit": unit, "facet": facet}
                       for k, lab, kind, unit, facet in specs]}
        cats.append(c)
        cat_by_slug[slug] = dict(c, prefix=prefix, specs_def=specs)

    products, used_skus = [], set()
    for cslug, rows in PRODUCTS.items():
        cat = cat_by_slug[cslug]
        for row in rows:
            brand, name, price, *vals = row
            assert len(vals) == len(cat["specs_def"]), f"{name}: expected {len(cat['specs_def'])} spec values"
            specs = {}
            for (k, lab, kind, unit, facet), v in zip(cat["specs_def"], vals):
                if v is None:
                    assert not facet, f"{name}: facet {k} missing"
                    continue
                specs[k] = v
            slug = slugify(name)
            R = product_rng(slug)
            short, description = describe(cslug, name, brand, specs, R)
            parts = sku_parts(brand, name)
            bcode = re.sub(r"[^A-Z0-9]", "", brand.upper())[:3]
            sku = None
            for k in range(min(3, len(parts)), len(parts) + 1):
                cand = "-".join([cat["prefix"], bcode] + parts[:k])
                if cand not in used_skus:
                    sku = cand
                    break
            if sku is None:
                base = "-".join([cat["prefix"], bcode] + parts)
                i = 2
                while f"{base}-{i}" in used_skus:
                    i += 1
                sku = f"{base}-{i}"
            used_skus.add(sku)
            products.append({
                "slug": slug, "sku": sku, "name": name, "brand": brand, "category": cslug,
                "short_description": short, "description": description,
                "price_cents": int(round(price * 100)), "compare_at_cents": None,
                "stock": 0, "low_stock_threshold": R.randint(3, 10),
                "rating": round(min(5.0, max(3.2, R.gauss(4.4, 0.35))), 1),
                "review_count": int(5000 * R.random() ** 2.4),
                "featured": name in FEATURED,
                "created_at": dt.datetime.fromtimestamp(R.randrange(START_TS, END_TS), dt.timezone.utc)
                              .strftime("%Y-%m-%dT%H:%M:%SZ"),
                "specs": specs,
                "images": [],
                "_k": 5 if name in FEATURED else R.choices([2, 3, 4, 5], [2, 3, 3, 2])[0],
                "_R": R,
            })

    products.sort(key=lambda p: (p["category"], p["name"].casefold()))
    total = len(products)

    # Stock levels: ~8% out of stock (never featured), ~12% low, the rest healthy.
    order = products[:]
    random.Random(20240101).shuffle(order)
    n_oos, n_low = round(total * 0.08), round(total * 0.12)
    oos = [p for p in order if not p["featured"]][:n_oos]
    oos_ids = {id(p) for p in oos}
    low = [p for p in order if id(p) not in oos_ids][:n_low]
    low_ids = {id(p) for p in low}
    for p in products:
        R = p["_R"]
        if id(p) in oos_ids:
            p["stock"] = 0
        elif id(p) in low_ids:
            p["stock"] = R.randint(1, p["low_stock_threshold"])
        else:
            p["stock"] = R.randint(10, 250)

    # ~20% discounted: compare-at price 10-35% above, ending in .99
    order = products[:]
    random.Random(77).shuffle(order)
    for p in order[:round(total * 0.2)]:
        f = 1 + p["_R"].choice([0.1, 0.15, 0.2, 0.25, 0.3, 0.35])
        cmp_ = int(math.ceil(p["price_cents"] * f / 100.0)) * 100 - 1
        p["compare_at_cents"] = max(cmp_, p["price_cents"] + 100)

    for p in products:
        R = p.pop("_R")
        if p["featured"]:
            p["review_count"] = max(p["review_count"], R.randint(900, 5000))
            p["rating"] = max(p["rating"], round(R.uniform(4.5, 4.9), 1))
        k = p.pop("_k")
        p["images"] = [{"file": f"{p['slug']}-{n}.svg", "alt": f"{p['name']}, {VIEWS[n - 1][2]}",
                        "width": 800, "height": 800} for n in range(1, k + 1)]

    return {"currency": "USD", "categories": cats, "products": products}, cat_by_slug


def write_if_changed(path, data):
    data_b = data.encode("utf-8")
    if os.path.exists(path):
        with open(path, "rb") as fh:
            if fh.read() == data_b:
                return
    with open(path, "wb") as fh:
        fh.write(data_b)


def generate():
    catalog, cat_by_slug = build_catalog()
    os.makedirs(os.path.dirname(CATALOG_PATH), exist_ok=True)
    os.makedirs(PRODUCT_IMG_DIR, exist_ok=True)
    os.makedirs(CATEGORY_IMG_DIR, exist_ok=True)
    write_if_changed(CATALOG_PATH, json.dumps(catalog, indent=1, ensure_ascii=False) + "\n")

    wanted_products, wanted_cats = set(), set()
    for p in catalog["products"]:
        cat = cat_by_slug[p["category"]]
        P = palette(p["slug"], p["brand"], p["name"])
        for n, img in enumerate(p["images"], start=1):
            wanted_products.add(img["file"])
            write_if_changed(os.path.join(PRODUCT_IMG_DIR, img["file"]), product_svg(cat, p, n, P))
    for c in catalog["categories"]:
        wanted_cats.add(c["image"])
        write_if_changed(os.path.join(CATEGORY_IMG_DIR, c["image"]), category_svg(cat_by_slug[c["slug"]]))

    removed = 0
    for folder, wanted in ((PRODUCT_IMG_DIR, wanted_products), (CATEGORY_IMG_DIR, wanted_cats)):
        for fn in sorted(os.listdir(folder)):
            if fn.endswith(".svg") and fn not in wanted:
                os.remove(os.path.join(folder, fn))
                removed += 1
    return removed


# ---------------------------------------------------------------------------
# Validation (reads everything back from disk)
# ---------------------------------------------------------------------------
SLUG_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
KEY_RE = re.compile(r"^[a-z_]+$")
TS_RE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
PRODUCT_KEYS = ["slug", "sku", "name", "brand", "category", "short_description", "description", "price_cents",
                "compare_at_cents", "stock", "low_stock_threshold", "rating", "review_count", "featured",
                "created_at", "specs", "images"]
CATEGORY_KEYS = ["slug", "name", "description", "image", "specs"]


def kind_ok(kind, v):
    if kind == B:
        return isinstance(v, bool)
    if kind == N:
        return isinstance(v, (int, float)) and not isinstance(v, bool)
    return isinstance(v, str) and v != ""


def validate():
    errors = []

    def check(cond, msg):
        if not cond:
            errors.append(msg)

    with open(CATALOG_PATH, encoding="utf-8") as fh:
        cat = json.load(fh)
    check(list(cat.keys()) == ["currency", "categories", "products"], "top-level keys")
    check(cat["currency"] == "USD", "currency")
    cats, prods = cat["categories"], cat["products"]
    check(len(cats) == EXPECTED_CATEGORIES, f"{len(cats)} categories")
    check(len(prods) == EXPECTED_PRODUCTS, f"{len(prods)} products")
    by_slug = {}
    for c in cats:
        check(list(c.keys()) == CATEGORY_KEYS, f"category keys {c['slug']}")
        check(bool(SLUG_RE.match(c["slug"])), f"category slug {c['slug']}")
        check(c["image"] == f"{c['slug']}.svg", f"category image {c['slug']}")
        check(os.path.exists(os.path.join(CATEGORY_IMG_DIR, c["image"])), f"missing category image {c['image']}")
        check(3 <= len(c["specs"]) <= 7, f"{c['slug']}: {len(c['specs'])} specs")
        nf = sum(s["facet"] for s in c["specs"])
        check(2 <= nf <= 4, f"{c['slug']}: {nf} facets")
        for s in c["specs"]:
            check(list(s.keys()) == ["key", "label", "kind", "unit", "facet"], f"spec keys {c['slug']}")
            check(bool(KEY_RE.match(s["key"])), f"spec key {s['key']}")
            check(s["kind"] in (T, N, B), f"spec kind {s['key']}")
        by_slug[c["slug"]] = c
    check(len(by_slug) == len(cats), "duplicate category slugs")

    slugs, skus, files = set(), set(), set()
    per_cat = {c["slug"]: 0 for c in cats}
    for p in prods:
        s = p["slug"]
        check(list(p.keys()) == PRODUCT_KEYS, f"product keys {s}")
        check(bool(SLUG_RE.match(s)), f"slug {s}")
        check(s not in slugs, f"duplicate slug {s}")
        slugs.add(s)
        check(p["sku"] not in skus and re.match(r"^[A-Z0-9]+(-[A-Z0-9]+)+$", p["sku"]) is not None, f"sku {p['sku']}")
        skus.add(p["sku"])
        check(p["category"] in by_slug, f"{s}: unknown category")
        per_cat[p["category"]] = per_cat.get(p["category"], 0) + 1
        check(len(p["short_description"]) <= 140 and p["short_description"].endswith("."), f"{s}: short_description")
        body = p["description"].replace(p["name"], "X").replace(p["brand"], "X")
        nsent = len(re.findall(r"[.!?](?:\s|$)", body))
        check(2 <= nsent <= 4, f"{s}: description has {nsent} sentences")
        check(isinstance(p["price_cents"], int) and p["price_cents"] > 0, f"{s}: price")
        check(p["compare_at_cents"] is None or (isinstance(p["compare_at_cents"], int) and p["compare_at_cents"] > p["price_cents"]),
              f"{s}: compare_at")
        check(isinstance(p["stock"], int) and p["stock"] >= 0, f"{s}: stock")
        check(3 <= p["low_stock_threshold"] <= 10, f"{s}: threshold")
        check(p["stock"] == 0 or p["stock"] <= p["low_stock_threshold"] or 10 <= p["stock"] <= 250, f"{s}: stock range")
        check(isinstance(p["rating"], float) and 3.2 <= p["rating"] <= 5.0 and round(p["rating"], 1) == p["rating"], f"{s}: rating")
        check(isinstance(p["review_count"], int) and 0 <= p["review_count"] <= 5000, f"{s}: reviews")
        check(isinstance(p["featured"], bool), f"{s}: featured")
        check(bool(TS_RE.match(p["created_at"])) and "2024-01-01" <= p["created_at"] < "2026-11-01", f"{s}: created_at")
        cdef = by_slug.get(p["category"], {"specs": []})["specs"]
        keys = {d["key"]: d for d in cdef}
        for k, v in p["specs"].items():
            check(k in keys and kind_ok(keys[k]["kind"], v), f"{s}: spec {k}={v!r}")
        for d in cdef:
            if d["facet"]:
                check(d["key"] in p["specs"], f"{s}: missing facet {d['key']}")
        check(2 <= len(p["images"]) <= 5, f"{s}: image count")
        for i, img in enumerate(p["images"], start=1):
            check(list(img.keys()) == ["file", "alt", "width", "height"], f"{s}: image keys")
            check(img["file"] == f"{s}-{i}.svg", f"{s}: image name {img['file']}")
            check(img["width"] == 800 and img["height"] == 800 and len(img["alt"]) > 10, f"{s}: image meta")
            check(os.path.exists(os.path.join(PRODUCT_IMG_DIR, img["file"])), f"missing {img['file']}")
            files.add(img["file"])
    for c, n in per_cat.items():
        check(8 <= n <= 14, f"{c}: {n} products")
    check(any("RTX 4090" in p["name"] for p in prods), "no RTX 4090 product")
    order = [(p["category"], p["name"].casefold()) for p in prods]
    check(order == sorted(order), "products not sorted by category, name")

    # SVGs on disk: exactly the referenced ones, all parse, within size limits.
    on_disk = {f for f in os.listdir(PRODUCT_IMG_DIR) if f.endswith(".svg")}
    check(on_disk == files, f"stale/missing product SVGs: {sorted(on_disk ^ files)[:5]}")
    cat_disk = {f for f in os.listdir(CATEGORY_IMG_DIR) if f.endswith(".svg")}
    check(cat_disk == {c["image"] for c in cats}, "stale/missing category SVGs")
    sizes, total_bytes = [], 0
    for folder, names, dims in ((PRODUCT_IMG_DIR, on_disk, "800"), (CATEGORY_IMG_DIR, cat_disk, None)):
        for fn in sorted(names):
            path = os.path.join(folder, fn)
            data = open(path, "rb").read()
            total_bytes += len(data)
            sizes.append((len(data), fn))
            try:
                root = ET.fromstring(data)
            except ET.ParseError as e:
                errors.append(f"{fn}: XML parse error {e}")
                continue
            w, h = ("800", "800") if dims else ("400", "300")
            check(root.get("width") == w and root.get("height") == h and root.get("viewBox") == f"0 0 {w} {h}",
                  f"{fn}: dimensions")
            text = data.decode()
            check("<script" not in text and "href" not in text and "@import" not in text and "<image" not in text,
                  f"{fn}: external reference/script")
            limit = MAX_SVG_BYTES if dims else 3 * 1024
            check(len(data) <= limit, f"{fn}: {len(data)} bytes > {limit}")

    stats = {
        "products": len(prods), "categories": len(cats),
        "out_of_stock": sum(p["stock"] == 0 for p in prods),
        "low_stock": sum(0 < p["stock"] <= p["low_stock_threshold"] for p in prods),
        "discounted": sum(p["compare_at_cents"] is not None for p in prods),
        "featured": sum(p["featured"] for p in prods),
        "featured_categories": len({p["category"] for p in prods if p["featured"]}),
        "product_images": len(on_disk), "category_images": len(cat_disk),
        "svg_total_bytes": total_bytes,
        "svg_max": max(sizes), "svg_avg_bytes": total_bytes // max(1, len(sizes)),
    }
    check(0.06 <= stats["out_of_stock"] / len(prods) <= 0.10, "out-of-stock share")
    check(0.10 <= stats["low_stock"] / len(prods) <= 0.14, "low-stock share")
    check(0.17 <= stats["discounted"] / len(prods) <= 0.23, "discount share")
    check(stats["featured"] == 16 and stats["featured_categories"] == 16, "featured spread")
    return errors, stats, per_cat


def main():
    removed = generate()
    errors, stats, per_cat = validate()
    for c, n in per_cat.items():
        print(f"  {c:18s} {n}")
    for k, v in stats.items():
        print(f"{k}: {v}")
    print(f"stale SVGs removed: {removed}", flush=True)
    if errors:
        print(f"{len(errors)} validation error(s):", file=sys.stderr)
        for e in errors[:50]:
            print("  " + e, file=sys.stderr)
        return 1
    print("catalog OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
