import torch
from torch import nn


class Sentiment(nn.Module):
    """The sentiment demo's model from its exported state dict (`export --to torch`): word vectors
    (subword bags through nn.EmbeddingBag, or word ids through nn.Embedding) → a bidirectional LSTM
    over the real steps, beside their mean vector → Linear → sigmoid; with --wide, a learned weight
    per word summed over the text is added to the logit. The default architecture (--cell bilstm,
    --pooling last, --average-embeddings); ids as the exported preprocessing makes them."""

    def __init__(self, sd):
        super().__init__()
        self.bags = "embedding_bag.weight" in sd
        V, E = sd["embedding_bag.weight" if self.bags else "embedding.weight"].shape
        if self.bags:
            self.embedding_bag = nn.EmbeddingBag(V, E, mode="mean", padding_idx=0)
        else:
            self.embedding = nn.Embedding(V, E)
        self.bidirectional = nn.LSTM(E, sd["bidirectional.weight_hh_l0"].shape[1], batch_first=True, bidirectional=True)
        self.dense = nn.Linear(sd["dense.weight"].shape[1], 1)
        if "word_count_logit.weight" in sd:
            self.word_count_logit = nn.Embedding(V, 1)

    def forward(self, ids):                                            # [B, T] word ids, or [B, T, K] bags
        if self.bags:
            B, T, K = ids.shape
            e = self.embedding_bag(ids.reshape(B * T, K)).reshape(B, T, -1)  # [B, T, E]: each bag's mean (0 if empty)
            m = (ids != 0).any(-1)                                     # [B, T]: the steps whose bag is not empty
        else:
            e, m = self.embedding(ids), ids != 0
        n = m.sum(1)                                                   # [B]: real steps
        front = torch.argsort((~m).int(), dim=1, stable=True)          # real steps first, in order
        e_front = torch.gather(e, 1, front[..., None].expand_as(e))
        packed = nn.utils.rnn.pack_padded_sequence(e_front, n.clamp(min=1).cpu(), batch_first=True, enforce_sorted=False)
        _, (h, _) = self.bidirectional(packed)                         # h: [2, B, H]
        h = torch.cat([h[0], h[1]], dim=1) * (n > 0)[:, None]          # [B, 2H]
        mean = (e * m[..., None]).sum(1) / n[:, None].clamp(min=1)     # [B, E]
        z = self.dense(torch.cat([h, mean], dim=1))                    # [B, 1]
        if hasattr(self, "word_count_logit"):
            z = z + (self.word_count_logit(ids) * m[..., None]).sum(1) # + Σ_t m_t w[ids_t]
        return torch.sigmoid(z)


def load(path):
    """The module of an exported state dict (JSON), strictly loaded."""
    import json
    sd = {k: torch.tensor(v) for k, v in json.load(open(path)).items()}
    net = Sentiment(sd)
    net.load_state_dict(sd)
    return net.eval()
