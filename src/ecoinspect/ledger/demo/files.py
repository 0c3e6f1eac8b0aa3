"""Generated evidence: small site photos (PNG) and one-page documents (PDF), made up on the spot."""

from __future__ import annotations

import io
import random


def photo_png(rng: random.Random, scene: str, label: str) -> bytes:
    """A small "site photo": a scene in flat colours with an ASCII caption (no font needed)."""
    from PIL import Image, ImageDraw

    w, h = 360, 240
    image = Image.new("RGB", (w, h), (170, 200, 235))
    draw = ImageDraw.Draw(image)
    for y in range(0, 96, 6):
        draw.rectangle([0, y, w, y + 6], fill=(150 + y // 2, 185 + y // 4, 235))
    ground = {
        "river": (92, 138, 72),
        "farm": (120, 150, 70),
        "hill": (130, 110, 80),
        "site": (150, 135, 110),
        "factory": (120, 120, 120),
        "street": (110, 110, 115),
    }[scene]
    draw.rectangle([0, 96, w, h], fill=ground)
    jitter = rng.randint(-20, 20)
    if scene in ("river", "farm"):
        draw.polygon([(0, 150 + jitter), (w, 135), (w, h), (0, h)], fill=(70 + rng.randint(0, 60), 105, 120))
        draw.rectangle([40 + jitter, 120, 90 + jitter, 150], fill=(90, 90, 95))
        draw.ellipse([55 + jitter, 128, 75 + jitter, 146], fill=(40, 40, 45))
    elif scene == "hill":
        draw.polygon([(0, 140), (120 + jitter, 60), (260, 140)], fill=(100, 120 + rng.randint(0, 40), 70))
    else:
        for i in range(rng.randint(2, 5)):
            x = 20 + i * 70 + jitter
            draw.rectangle([x, 60 + i * 7, x + 55, 180], fill=(180 - i * 15, 170, 160 + i * 10))
    draw.rectangle([0, h - 22, w, h], fill=(0, 0, 0))
    draw.text((6, h - 18), label, fill=(255, 230, 0))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def simple_pdf(lines: list[str]) -> bytes:
    """A one-page PDF with ASCII lines of text (Helvetica), with a correct cross-reference table."""

    def esc(text: str) -> str:
        return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    stream = "BT /F1 12 Tf 60 780 Td 18 TL " + " ".join(f"({esc(line)}) '" for line in lines) + " ET"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        "/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        f"<< /Length {len(stream)} >>\nstream\n{stream}\nendstream",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n{body}\nendobj\n".encode("ascii"))
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode("ascii"))
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode("ascii"))
    out.write(
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode("ascii")
    )
    return out.getvalue()
