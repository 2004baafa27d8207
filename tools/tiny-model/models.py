"""carbon-tiny networks: text encoder, UNet (epsilon prediction), autoencoder.

Only ONNX-friendly ops are used: Conv, GroupNorm, LayerNorm, SiLU (x*sigmoid(x)),
MatMul/Softmax attention, Linear, Add, Mul, Concat, nearest Resize.
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

MAX_LEN = 77


def silu(x):
    return x * torch.sigmoid(x)


class Attention(nn.Module):
    """Multi-head attention written with plain matmul + softmax."""

    def __init__(self, dim, ctx_dim=None, heads=4):
        super().__init__()
        ctx_dim = ctx_dim or dim
        self.heads = heads
        self.scale = (dim // heads) ** -0.5
        self.q = nn.Linear(dim, dim, bias=False)
        self.k = nn.Linear(ctx_dim, dim, bias=False)
        self.v = nn.Linear(ctx_dim, dim, bias=False)
        self.o = nn.Linear(dim, dim)

    def forward(self, x, ctx=None):
        ctx = x if ctx is None else ctx
        b, n, c = x.shape
        h = self.heads
        q = self.q(x).reshape(b, n, h, c // h).transpose(1, 2)              # b h n d
        k = self.k(ctx).reshape(ctx.shape[0], ctx.shape[1], h, c // h).transpose(1, 2)
        v = self.v(ctx).reshape(ctx.shape[0], ctx.shape[1], h, c // h).transpose(1, 2)
        a = torch.softmax(torch.matmul(q * self.scale, k.transpose(2, 3)), dim=-1)
        out = torch.matmul(a, v).transpose(1, 2).reshape(b, n, c)
        return self.o(out)


class FeedForward(nn.Module):
    def __init__(self, dim, mult=4):
        super().__init__()
        self.fc1 = nn.Linear(dim, dim * mult)
        self.fc2 = nn.Linear(dim * mult, dim)

    def forward(self, x):
        return self.fc2(silu(self.fc1(x)))


# ----------------------------------------------------------------------------------------------
# Text encoder

class TextBlock(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.ln1 = nn.LayerNorm(dim)
        self.attn = Attention(dim, heads=heads)
        self.ln2 = nn.LayerNorm(dim)
        self.ff = FeedForward(dim)

    def forward(self, x):
        x = x + self.attn(self.ln1(x))
        return x + self.ff(self.ln2(x))


class TextEncoder(nn.Module):
    """Bidirectional transformer over the 77 CLIP-format token ids.

    Returns (last_hidden_state [B,77,D], pooler_output [B,D]); the pooled state is taken at
    the first position holding the largest id (= first <|endoftext|>), like CLIP."""

    def __init__(self, vocab_size, dim=64, layers=2, heads=4):
        super().__init__()
        self.tok = nn.Embedding(vocab_size, dim)
        self.pos = nn.Parameter(torch.randn(MAX_LEN, dim) * 0.02)
        nn.init.normal_(self.tok.weight, std=0.02)
        self.blocks = nn.ModuleList([TextBlock(dim, heads) for _ in range(layers)])
        self.ln_f = nn.LayerNorm(dim)

    def forward(self, input_ids):
        x = self.tok(input_ids.long()) + self.pos
        for blk in self.blocks:
            x = blk(x)
        x = self.ln_f(x)
        eos = input_ids.float().argmax(dim=-1)                              # first max = first EOS
        pos = torch.arange(MAX_LEN, device=x.device).to(eos.dtype)
        onehot = (pos.unsqueeze(0) == eos.unsqueeze(1)).to(x.dtype)         # [B, 77]
        pooled = (x * onehot.unsqueeze(-1)).sum(dim=1)
        return x, pooled


# ----------------------------------------------------------------------------------------------
# Conv building blocks

class ResBlock(nn.Module):
    def __init__(self, cin, cout, tdim=None, groups=8):
        super().__init__()
        self.n1 = nn.GroupNorm(groups, cin)
        self.c1 = nn.Conv2d(cin, cout, 3, padding=1)
        self.t = nn.Linear(tdim, cout) if tdim else None
        self.n2 = nn.GroupNorm(groups, cout)
        self.c2 = nn.Conv2d(cout, cout, 3, padding=1)
        nn.init.zeros_(self.c2.weight)
        nn.init.zeros_(self.c2.bias)
        self.skip = nn.Conv2d(cin, cout, 1) if cin != cout else None

    def forward(self, x, temb=None):
        h = self.c1(silu(self.n1(x)))
        if self.t is not None:
            h = h + self.t(silu(temb)).unsqueeze(-1).unsqueeze(-1)
        h = self.c2(silu(self.n2(h)))
        return h + (self.skip(x) if self.skip is not None else x)


class SpatialTransformer(nn.Module):
    """GroupNorm -> tokens -> [self-attn] -> cross-attn(text) -> feed-forward -> back to map."""

    def __init__(self, ch, ctx_dim, heads=4, self_attn=True, ff=True, groups=8, pos=False, pos_attn=False):
        super().__init__()
        self.norm = nn.GroupNorm(groups, ch)
        self.proj_in = nn.Linear(ch, ch)
        # pos: a small MLP of each token's (x, y) in (-1, 1), added to the tokens, so that the
        # queries of the cross-attention know where they are ("top left" can then attend to
        # the right place). Computed from the map's size, so any resolution works.
        self.pos1 = nn.Linear(2, ch) if pos or pos_attn else None
        self.pos2 = nn.Linear(ch, ch) if pos or pos_attn else None
        # pos_attn: a second cross-attention whose queries are the positions alone (no image
        # content), so "where does the text put things" does not have to be read through noisy
        # features. Output projection zero-initialised: adding it leaves a trained model unchanged.
        self.attn_pos = Attention(ch, ctx_dim, heads=heads) if pos_attn else None
        if self.attn_pos is not None:
            nn.init.zeros_(self.attn_pos.o.weight)
            nn.init.zeros_(self.attn_pos.o.bias)
        self.ln1 = nn.LayerNorm(ch) if self_attn else None
        self.attn1 = Attention(ch, heads=heads) if self_attn else None
        self.ln2 = nn.LayerNorm(ch)
        self.attn2 = Attention(ch, ctx_dim, heads=heads)
        self.ln3 = nn.LayerNorm(ch) if ff else None
        self.ff = FeedForward(ch, mult=2) if ff else None
        self.proj_out = nn.Linear(ch, ch)
        nn.init.zeros_(self.proj_out.weight)
        nn.init.zeros_(self.proj_out.bias)

    def forward(self, x, ctx):
        b, c, hh, ww = x.shape
        t = self.norm(x).reshape(b, c, hh * ww).transpose(1, 2)
        t = self.proj_in(t)
        if self.pos1 is not None:
            xy = coord_channels(x).reshape(b, 2, hh * ww).transpose(1, 2)
            pe = self.pos2(silu(self.pos1(xy)))
            t = t + pe
            if self.attn_pos is not None:
                t = t + self.attn_pos(pe, ctx)
        if self.attn1 is not None:
            t = t + self.attn1(self.ln1(t))
        t = t + self.attn2(self.ln2(t), ctx)
        if self.ff is not None:
            t = t + self.ff(self.ln3(t))
        t = self.proj_out(t).transpose(1, 2).reshape(b, c, hh, ww)
        return x + t


class Upsample(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, 3, padding=1)

    def forward(self, x):
        return self.conv(F.interpolate(x, scale_factor=2.0, mode="nearest"))


def timestep_embedding(t, dim):
    """Sinusoidal embedding of (integer or float) timesteps; t: [B] -> [B, dim]."""
    half = dim // 2
    freqs = torch.exp(-math.log(10000.0) * torch.arange(half, dtype=torch.float32, device=t.device) / half)
    args = t.to(torch.float32).unsqueeze(1) * freqs.unsqueeze(0)
    return torch.cat([torch.cos(args), torch.sin(args)], dim=1)


def coord_channels(x):
    """[B,2,h,w]: x and y pixel-centre coordinates in (-1, 1), computed from x's (dynamic) shape."""
    b, _, h, w = x.shape
    ys = (torch.arange(h, dtype=torch.float32, device=x.device) + 0.5) * (2.0 / h) - 1.0
    xs = (torch.arange(w, dtype=torch.float32, device=x.device) + 0.5) * (2.0 / w) - 1.0
    yy = ys.view(1, 1, h, 1).expand(b, 1, h, w)
    xx = xs.view(1, 1, 1, w).expand(b, 1, h, w)
    return torch.cat([xx, yy], dim=1)


# ----------------------------------------------------------------------------------------------
# UNet

class UNet(nn.Module):
    """Three-level UNet for [B,4,h,w] latents (h, w multiples of 4), epsilon prediction.

    Conditioning: cross-attention on encoder_hidden_states at every level, plus the mean of the
    77 text states added to the timestep embedding (global FiLM-style conditioning)."""

    def __init__(self, ch=(64, 96, 128), ctx_dim=64, in_ch=4, tdim=128, heads=4, attn0=False, ff=False,
                 coords=False, pos=False, pos_attn=False):
        super().__init__()
        self.coords = coords
        c0, c1, c2 = ch
        self.ch = ch
        self.tdim = tdim
        self.t1 = nn.Linear(c0, tdim)
        self.t2 = nn.Linear(tdim, tdim)
        self.ctx_pool = nn.Linear(ctx_dim, tdim)
        self.conv_in = nn.Conv2d(in_ch + (2 if coords else 0), c0, 3, padding=1)
        self.d0 = ResBlock(c0, c0, tdim)
        self.a0 = SpatialTransformer(c0, ctx_dim, heads, self_attn=False, ff=False) if attn0 else None
        self.down0 = nn.Conv2d(c0, c0, 3, stride=2, padding=1)
        self.d1 = ResBlock(c0, c1, tdim)
        self.a1 = SpatialTransformer(c1, ctx_dim, heads, ff=ff, pos=pos, pos_attn=pos_attn)
        self.down1 = nn.Conv2d(c1, c1, 3, stride=2, padding=1)
        self.d2 = ResBlock(c1, c2, tdim)
        self.a2 = SpatialTransformer(c2, ctx_dim, heads, ff=ff, pos=pos, pos_attn=pos_attn)
        self.m1 = ResBlock(c2, c2, tdim)
        self.ma = SpatialTransformer(c2, ctx_dim, heads, ff=ff, pos=pos, pos_attn=pos_attn)
        self.m2 = ResBlock(c2, c2, tdim)
        self.u2 = ResBlock(c2 + c2, c2, tdim)
        self.ua2 = SpatialTransformer(c2, ctx_dim, heads, ff=ff, pos=pos, pos_attn=pos_attn)
        self.up2 = Upsample(c2, c2)
        self.u1 = ResBlock(c2 + c1, c1, tdim)
        self.ua1 = SpatialTransformer(c1, ctx_dim, heads, ff=ff, pos=pos, pos_attn=pos_attn)
        self.up1 = Upsample(c1, c1)
        self.u0 = ResBlock(c1 + c0, c0, tdim)
        self.ua0 = SpatialTransformer(c0, ctx_dim, heads, self_attn=False, ff=False) if attn0 else None
        self.n_out = nn.GroupNorm(8, c0)
        self.conv_out = nn.Conv2d(c0, in_ch, 3, padding=1)
        nn.init.zeros_(self.conv_out.weight)
        nn.init.zeros_(self.conv_out.bias)

    def forward(self, sample, timestep, encoder_hidden_states):
        ctx = encoder_hidden_states
        temb = self.t2(silu(self.t1(timestep_embedding(timestep, self.ch[0]))))
        temb = temb + self.ctx_pool(ctx.mean(dim=1))                     # broadcasts [1,T] + [B,T]
        if self.coords:
            sample = torch.cat([sample, coord_channels(sample)], dim=1)
        h = self.conv_in(sample)
        s0 = self.d0(h, temb)
        if self.a0 is not None:
            s0 = self.a0(s0, ctx)
        h = self.down0(s0)
        s1 = self.a1(self.d1(h, temb), ctx)
        h = self.down1(s1)
        s2 = self.a2(self.d2(h, temb), ctx)
        h = self.m2(self.ma(self.m1(s2, temb), ctx), temb)
        h = self.ua2(self.u2(torch.cat([h, s2], dim=1), temb), ctx)
        h = self.up2(h)
        h = self.ua1(self.u1(torch.cat([h, s1], dim=1), temb), ctx)
        h = self.up1(h)
        h = self.u0(torch.cat([h, s0], dim=1), temb)
        if self.ua0 is not None:
            h = self.ua0(h, ctx)
        return self.conv_out(silu(self.n_out(h)))


# ----------------------------------------------------------------------------------------------
# Autoencoder (64x64x3 <-> 16x16x4)

class Encoder(nn.Module):
    def __init__(self, ch=(16, 32, 64), latent=4):
        super().__init__()
        c0, c1, c2 = ch
        self.conv_in = nn.Conv2d(3, c0, 3, padding=1)
        self.r0 = ResBlock(c0, c0)
        self.down0 = nn.Conv2d(c0, c1, 3, stride=2, padding=1)
        self.r1 = ResBlock(c1, c1)
        self.down1 = nn.Conv2d(c1, c2, 3, stride=2, padding=1)
        self.r2 = ResBlock(c2, c2)
        self.n_out = nn.GroupNorm(8, c2)
        self.conv_out = nn.Conv2d(c2, latent, 3, padding=1)

    def forward(self, x):
        h = self.r0(self.conv_in(x))
        h = self.r1(self.down0(h))
        h = self.r2(self.down1(h))
        return self.conv_out(silu(self.n_out(h)))


class Decoder(nn.Module):
    def __init__(self, ch=(16, 32, 64), latent=4):
        super().__init__()
        c0, c1, c2 = ch
        self.conv_in = nn.Conv2d(latent, c2, 3, padding=1)
        self.r2a = ResBlock(c2, c2)
        self.r2b = ResBlock(c2, c2)
        self.up1 = Upsample(c2, c1)
        self.r1 = ResBlock(c1, c1)
        self.up0 = Upsample(c1, c0)
        self.r0 = ResBlock(c0, c0)
        self.n_out = nn.GroupNorm(8, c0)
        self.conv_out = nn.Conv2d(c0, 3, 3, padding=1)

    def forward(self, z):
        h = self.r2b(self.r2a(self.conv_in(z)))
        h = self.r1(self.up1(h))
        h = self.r0(self.up0(h))
        return self.conv_out(silu(self.n_out(h)))


def count_params(m):
    return sum(p.numel() for p in m.parameters())
