"""PBJT (*Pajak Barang dan Jasa Tertentu*): self-assessed monthly taxes of businesses."""
