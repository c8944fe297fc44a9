/**
 * Demo news and announcements (berita, pengumuman) for the demo seed. Dates are relative to the demo's "now" so
 * the site always looks current; the bodies therefore speak of "pekan depan" or "batas waktu pada halaman pakta"
 * rather than calendar dates, except for the fixed 2024 election dates. Officials are named by office, not by
 * person. Phone numbers are placeholders.
 */
export interface DemoPost {
  title: string;
  category: 'berita' | 'pengumuman';
  /** One or two sentences shown in lists and as the description for sharing. ≤ 280 chars. */
  excerpt: string;
  /** Markdown: paragraphs, some `##` subheadings, lists, maybe one table; no raw HTML, no images. */
  body: string;
  /** Days before the demo's "now" it was published; negative = scheduled in the future. */
  daysAgo: number;
  status: 'draft' | 'published';
  pinned: boolean;
  /** Code of the publishing unit (see db/seeds/jateng-opd.json). */
  unitCode: string;
  /** File name in db/seeds/covers/, or omitted. */
  cover?: string;
}

export const DEMO_POSTS: readonly DemoPost[] = [
  {
    title: 'Pemilu dan Pilkada 2024: Pemprov Jateng Siapkan Dukungan dan Jaga Netralitas ASN',
    category: 'berita',
    excerpt:
      'Jawa Tengah menghadapi Pemilu pada 14 Februari 2024 dan Pemilihan serentak pada 27 November 2024. Pemerintah Provinsi menyiapkan dukungan penyelenggaraan sekaligus pembinaan netralitas ASN.',
    body: `Tahun 2024 menjadi tahun yang padat bagi demokrasi di Jawa Tengah. Dalam satu tahun, masyarakat mengikuti dua agenda besar: **Pemilihan Umum serentak pada Rabu, 14 Februari 2024** untuk memilih Presiden dan Wakil Presiden, anggota DPR, DPD, DPRD provinsi, dan DPRD kabupaten/kota; serta **Pemilihan Gubernur, Bupati, dan Wali Kota serentak pada Rabu, 27 November 2024**.

Penyelenggaraan kedua agenda tersebut menjadi kewenangan KPU dan Bawaslu. Pemerintah Provinsi Jawa Tengah berperan sebagai pendukung agar setiap tahapan berjalan lancar, aman, dan pelayanan publik tetap berjalan tanpa gangguan.

## Peran pemerintah daerah

Dukungan Pemerintah Provinsi meliputi antara lain:

- dukungan pendanaan pemilihan kepala daerah melalui hibah kepada penyelenggara;
- penyediaan data kependudukan sebagai bahan pemutakhiran daftar pemilih;
- deteksi dini dan pencegahan konflik bersama Forum Koordinasi Pimpinan Daerah serta forum kemasyarakatan;
- pendidikan politik, terutama bagi pemilih pemula;
- pembinaan dan pengawasan netralitas Aparatur Sipil Negara (ASN).

## Netralitas ASN menjadi perhatian

Indeks Kerawanan Pemilu 2024 yang disusun Bawaslu menempatkan Jawa Tengah pada kategori rawan sedang. Tujuh daerah tercatat rawan tinggi, yaitu Kota Semarang, Kabupaten Sukoharjo, Purworejo, Temanggung, Wonosobo, Kabupaten Magelang, dan Kendal. Netralitas ASN termasuk isu yang disorot dalam indeks tersebut.

"ASN melayani seluruh warga, apa pun pilihan politiknya. Kepercayaan itu hanya terjaga bila aparatur tidak berpihak, baik di kantor maupun di media sosial," ujar Kepala Badan Kesatuan Bangsa dan Politik Provinsi Jawa Tengah.

## Langkah berikutnya

Dalam beberapa bulan ke depan, Pemerintah Provinsi akan menggelar sosialisasi aturan netralitas di seluruh perangkat daerah dan wilayah, dilanjutkan dengan ikrar bersama dan penandatanganan Pakta Integritas Netralitas ASN oleh para Kepala Perangkat Daerah. Setelah itu, seluruh ASN di lingkungan Pemerintah Provinsi Jawa Tengah akan menandatangani pakta yang sama secara daring melalui aplikasi Ikrar.`,
    daysAgo: 150,
    status: 'published',
    pinned: false,
    unitCode: 'KESBANGPOL',
  },
  {
    title: 'Boleh dan Tidak Boleh: Aturan Netralitas ASN pada Pemilu dan Pilkada 2024',
    category: 'berita',
    excerpt:
      'ASN tetap memiliki hak pilih, tetapi tidak boleh berpihak. Berikut rangkuman aturan netralitas berdasarkan UU ASN, PP Disiplin PNS, dan SKB lima instansi, termasuk di media sosial.',
    body: `Netralitas bukan berarti ASN kehilangan hak politiknya. ASN tetap memilih di tempat pemungutan suara; yang dilarang adalah menunjukkan keberpihakan kepada peserta Pemilu atau Pemilihan, baik secara langsung maupun melalui media sosial.

## Dasar hukum

- **Undang-Undang Nomor 20 Tahun 2023 tentang Aparatur Sipil Negara** menjadikan netralitas salah satu asas ASN. Pegawai ASN harus bebas dari pengaruh dan intervensi semua golongan dan partai politik, dan ASN yang menjadi anggota atau pengurus partai politik diberhentikan.
- **Peraturan Pemerintah Nomor 94 Tahun 2021 tentang Disiplin Pegawai Negeri Sipil** melarang PNS memberikan dukungan kepada calon Presiden dan Wakil Presiden, calon kepala daerah, serta calon anggota DPR, DPD, dan DPRD, antara lain dengan ikut kampanye, menggunakan fasilitas negara, atau mengerahkan PNS lain.
- **Surat Keputusan Bersama lima instansi tahun 2022** (Menteri PANRB, Menteri Dalam Negeri, Kepala BKN, Ketua KASN, dan Ketua Bawaslu) tentang pedoman pembinaan dan pengawasan netralitas pegawai ASN merinci bentuk-bentuk pelanggaran beserta sanksinya.

## Yang tetap boleh dilakukan

- Menggunakan hak pilih dan merahasiakan pilihan.
- Mengikuti sosialisasi resmi KPU dan Bawaslu.
- Menyimak visi, misi, dan debat resmi peserta melalui media massa.
- Menjalankan tugas pelayanan publik secara profesional dan adil.

## Contoh situasi sehari-hari

| Situasi | Sikap yang benar |
|---|---|
| Unggahan kampanye muncul di linimasa | Jangan menyukai, mengomentari, membagikan, atau mengikuti akun kampanye |
| Diajak menghadiri kampanye atau deklarasi calon | Tolak dengan sopan, juga di luar jam kerja |
| Bertemu calon di suatu acara | Hindari berfoto bersama dengan simbol partai, nomor urut, atau gerakan tangan yang menandakan dukungan |
| Diminta meminjamkan kendaraan dinas atau ruang rapat | Tolak; fasilitas negara hanya untuk kedinasan |
| Materi kampanye beredar di grup percakapan kantor | Jangan meneruskan; ingatkan pengirimnya |

Larangan lain yang perlu diingat: memasang spanduk atau baliho calon, menjadi anggota tim kampanye, serta membuat keputusan atau kegiatan yang menguntungkan atau merugikan salah satu peserta.

## Sanksi

Pedoman SKB membedakan pelanggaran kode etik, yang dijatuhi sanksi moral berupa pernyataan secara tertutup atau terbuka, dan pelanggaran disiplin, yang dijatuhi hukuman disiplin menurut PP 94/2021, mulai dari pemotongan tunjangan kinerja hingga pemberhentian.`,
    daysAgo: 124,
    status: 'published',
    pinned: false,
    unitCode: 'BKD',
    cover: 'netralitas.jpg',
  },
  {
    title: 'Sosialisasi Netralitas ASN Sapa Ratusan Pegawai Pemprov di Kabupaten Temanggung',
    category: 'berita',
    excerpt:
      'Sekitar 400 ASN Pemerintah Provinsi yang bertugas di Kabupaten Temanggung mengikuti sosialisasi netralitas bersama Bawaslu Kabupaten Temanggung. Media sosial menjadi topik yang paling banyak ditanyakan.',
    body: `Tidak semua ASN Pemerintah Provinsi Jawa Tengah berkantor di Semarang. Guru dan tenaga kependidikan SMA, SMK, dan SLB negeri, pegawai unit pelaksana teknis, serta petugas layanan provinsi tersebar di 35 kabupaten/kota. Untuk menjangkau mereka, Badan Kesatuan Bangsa dan Politik bersama Badan Kepegawaian Daerah dan Inspektorat Provinsi menggelar sosialisasi netralitas ASN di Kabupaten Temanggung.

Sekitar 400 peserta hadir secara langsung, sementara sejumlah sekolah di wilayah pegunungan mengikuti secara daring. Temanggung dipilih sebagai salah satu lokasi karena termasuk daerah berkategori rawan tinggi dalam Indeks Kerawanan Pemilu 2024.

## Media sosial paling banyak ditanyakan

Narasumber dari Bawaslu Kabupaten Temanggung menjelaskan bahwa sebagian besar dugaan pelanggaran netralitas kini bermula dari media sosial. Dalam sesi tanya jawab, peserta menanyakan hal-hal yang kerap dianggap sepele:

- menyukai unggahan kerabat yang mencalonkan diri;
- memasang bingkai foto profil bertema dukungan kepada calon;
- meneruskan poster kampanye ke grup percakapan keluarga.

"Ketiganya dapat dimaknai sebagai dukungan. Cara paling aman adalah tidak memberikan reaksi apa pun pada konten kampanye," jelas narasumber.

## Komitmen dari daerah

Perwakilan Inspektorat Provinsi mengingatkan bahwa pengawasan netralitas berlaku sebelum, selama, dan sesudah masa kampanye. Sementara itu, Badan Kepegawaian Daerah menyampaikan bahwa seluruh peserta akan menandatangani Pakta Integritas Netralitas ASN secara daring setelah pakta dibuka, sehingga tidak perlu lagi mengirim dokumen fisik ke Semarang.

Kegiatan serupa dijadwalkan berlanjut ke kabupaten/kota lain secara bertahap.`,
    daysAgo: 96,
    status: 'published',
    pinned: false,
    unitCode: 'KESBANGPOL',
  },
  {
    title: 'Menemukan Dugaan Pelanggaran Netralitas ASN? Begini Cara Melaporkannya',
    category: 'berita',
    excerpt:
      'Masyarakat dan sesama ASN dapat melaporkan dugaan pelanggaran netralitas kepada Bawaslu atau Inspektorat Provinsi. Laporan yang lengkap dan disertai bukti lebih cepat ditindaklanjuti.',
    body: `Pengawasan netralitas ASN tidak hanya menjadi tugas aparat pengawas. Masyarakat maupun sesama ASN dapat ikut menjaga dengan melaporkan dugaan pelanggaran melalui saluran yang tepat.

## Ke mana melapor

1. **Bawaslu** (provinsi, kabupaten/kota, atau panitia pengawas kecamatan), bila dugaan pelanggaran berkaitan dengan tahapan Pemilu atau Pemilihan, misalnya ASN hadir dalam kampanye atau mendukung calon di media sosial. Laporan dapat disampaikan langsung ke kantor Bawaslu atau melalui kanal pengaduan resmi Bawaslu. Hasil penanganan Bawaslu diteruskan sebagai rekomendasi kepada instansi yang berwenang menjatuhkan sanksi.
2. **Inspektorat Provinsi Jawa Tengah**, bila terlapor adalah ASN di lingkungan Pemerintah Provinsi. Pengaduan dapat disampaikan langsung ke layanan pengaduan Inspektorat pada jam kerja, melalui surat, atau telepon (024) 000000.
3. **SP4N-LAPOR!**, kanal pengaduan pelayanan publik nasional, yang akan meneruskan laporan kepada instansi terkait.

## Apa yang perlu disiapkan

- Identitas pelapor dan cara menghubunginya.
- Nama, jabatan, dan unit kerja terlapor, sejauh diketahui.
- Waktu, tempat, dan uraian singkat kejadian.
- Bukti: foto, video, atau tangkapan layar yang memuat tautan dan waktu unggahan.
- Nama saksi, bila ada.

Laporkan sesegera mungkin. Laporan kepada Bawaslu dibatasi tenggat waktu sejak kejadian diketahui, dan unggahan di media sosial mudah dihapus.

## Setelah laporan diterima

Inspektorat melakukan klarifikasi dan pemeriksaan. Bila pelanggaran terbukti, rekomendasi disampaikan kepada pejabat yang berwenang untuk menjatuhkan sanksi moral atau hukuman disiplin sesuai ketentuan. Identitas pelapor dirahasiakan.

Hindari menyebarkan tuduhan di media sosial sebelum ada pemeriksaan. Selain merugikan pihak yang belum tentu bersalah, unggahan seperti itu dapat menimbulkan persoalan hukum baru bagi pengunggahnya.

Perlu diketahui, aplikasi Ikrar hanya mencatat penandatanganan Pakta Integritas Netralitas ASN dan tidak menerima laporan pelanggaran.`,
    daysAgo: 71,
    status: 'published',
    pinned: false,
    unitCode: 'INSPEKTORAT',
  },
  {
    title: 'Penunjukan Operator Ikrar dan Layanan Bantuan di Setiap Perangkat Daerah',
    category: 'pengumuman',
    excerpt:
      'Setiap perangkat daerah diminta menunjuk paling sedikit satu operator Ikrar. Operator memutakhirkan data pegawai unitnya dan menjadi tempat bertanya pertama bagi ASN yang mengalami kendala.',
    body: `Menjelang dibukanya penandatanganan Pakta Integritas Netralitas ASN secara daring, setiap perangkat daerah di lingkungan Pemerintah Provinsi Jawa Tengah diminta menunjuk **paling sedikit satu operator Ikrar** dan menyampaikan namanya kepada Dinas Komunikasi dan Informatika dalam waktu dua pekan sejak pengumuman ini terbit. Perangkat daerah dengan banyak unit kerja di daerah, seperti cabang dinas dan unit pelaksana teknis, dapat menunjuk operator tambahan.

## Tugas operator

- Memeriksa dan memutakhirkan data pegawai di unitnya: nama, NIP, jabatan, unit kerja, dan email dinas.
- Mendaftarkan pegawai baru dan memindahkan pegawai yang berganti unit.
- Membantu pegawai yang lupa kata sandi atau akunnya terkunci.
- Memantau kepatuhan penandatanganan di unitnya dan mengirimkan pengingat.
- Meneruskan kendala teknis kepada helpdesk Diskominfo.

## Ke mana bertanya

| Kendala | Jalan keluar |
|---|---|
| Lupa kata sandi | Pilih "Lupa kata sandi?" di halaman Masuk; bila belum ada email terdaftar, hubungi operator |
| Akun terkunci setelah 5 kali gagal masuk | Tunggu 15 menit atau hubungi operator |
| Nama, NIP, atau jabatan keliru | Operator perangkat daerah |
| Belum terdaftar atau pindah unit | Operator perangkat daerah |
| Halaman galat atau tidak dapat dibuka | Operator, diteruskan ke helpdesk Diskominfo |

Helpdesk Diskominfo melayani operator pada hari kerja pukul 08.00–16.00 WIB melalui telepon (024) 000000.

## Penting

Operator dan petugas helpdesk **tidak akan pernah meminta kata sandi** Anda, baik melalui telepon maupun pesan singkat. Jangan berikan kata sandi kepada siapa pun.`,
    daysAgo: 42,
    status: 'published',
    pinned: false,
    unitCode: 'DISKOMINFO',
  },
  {
    title: 'Kepala Perangkat Daerah Ikrarkan Netralitas ASN di Gedung Gradhika Bhakti Praja',
    category: 'berita',
    excerpt:
      'Para Kepala Perangkat Daerah Pemprov Jawa Tengah mengucapkan ikrar bersama dan menandatangani Pakta Integritas Netralitas ASN di Gedung Gradhika Bhakti Praja, Semarang, secara elektronik melalui Ikrar.',
    body: `Para Kepala Perangkat Daerah di lingkungan Pemerintah Provinsi Jawa Tengah mengucapkan ikrar bersama dan menandatangani Pakta Integritas Netralitas ASN di Gedung Gradhika Bhakti Praja, Kompleks Kantor Gubernur Jawa Tengah, Semarang. Acara dipimpin Sekretaris Daerah Provinsi Jawa Tengah dan disaksikan jajaran Forum Koordinasi Pimpinan Daerah, KPU Provinsi Jawa Tengah, serta Bawaslu Provinsi Jawa Tengah.

## Ikrar bersama

Dipandu Kepala Badan Kesatuan Bangsa dan Politik, para kepala perangkat daerah berdiri dan mengucapkan ikrar untuk:

1. bersikap netral dan tidak berpihak sebelum, selama, dan sesudah Pemilu dan Pemilihan;
2. tidak menggunakan kewenangan maupun fasilitas negara untuk kepentingan peserta mana pun;
3. menggunakan media sosial secara bijak dan menolak ujaran kebencian serta hoaks;
4. membina dan mengawasi netralitas ASN di unit kerja masing-masing.

## Ditandatangani secara elektronik

Berbeda dari tahun-tahun sebelumnya, penandatanganan tidak lagi dilakukan di atas kertas. Setiap kepala perangkat daerah menandatangani pakta melalui aplikasi Ikrar di meja yang telah disiapkan, lalu menerima tanda terima dengan kode QR yang dapat diverifikasi oleh siapa pun.

"Yang kita tanda tangani hari ini bukan sekadar dokumen. Pimpinan memberi teladan, dan teladan itulah yang akan diikuti seluruh pegawai," tegas Sekretaris Daerah dalam sambutannya.

Kepala perangkat daerah yang berhalangan hadir karena tugas kedinasan diminta menandatangani secara daring melalui Ikrar sebelum batas waktu. Daftar kepala perangkat daerah yang sudah dan belum menandatangani dapat dilihat masyarakat pada halaman Kepatuhan.

## Berlanjut ke seluruh ASN

Dalam beberapa hari ke depan, pakta untuk seluruh ASN Pemerintah Provinsi Jawa Tengah akan dibuka di Ikrar. Kepala perangkat daerah diminta memastikan seluruh pegawai di unitnya menandatangani tepat waktu, dengan bantuan operator masing-masing.`,
    daysAgo: 10,
    status: 'published',
    pinned: false,
    unitCode: 'DISKOMINFO',
    cover: 'upacara.jpg',
  },
  {
    title: 'Tata Cara Menandatangani Pakta Integritas Netralitas ASN melalui Ikrar',
    category: 'pengumuman',
    excerpt:
      'Penandatanganan Pakta Integritas Netralitas ASN dilakukan sepenuhnya secara daring melalui Ikrar. Ikuti langkah berikut, dari masuk hingga mengunduh dan memverifikasi tanda terima.',
    body: `Pakta Integritas Netralitas ASN Pemerintah Provinsi Jawa Tengah kini dapat ditandatangani melalui Ikrar, dari komputer kantor maupun telepon genggam. Prosesnya hanya beberapa menit.

## Langkah-langkah

1. **Masuk.** Pilih menu Masuk, lalu isi NIP (18 digit) atau email dinas beserta kata sandi. Bila lupa kata sandi, pilih "Lupa kata sandi?".
2. **Buka pakta.** Pada menu Pakta Saya, bagian "Perlu ditandatangani", pilih "Baca dan tandatangani".
3. **Baca pakta sampai selesai.** Periksa nama, NIP, jabatan, dan unit kerja Anda. Bila ada yang keliru, hubungi operator perangkat daerah sebelum menandatangani.
4. **Centang pernyataan persetujuan** bahwa Anda telah membaca, memahami, dan menyetujui isi pakta.
5. **Ketik nama lengkap** persis seperti nama di akun Anda. Bila mau, gambar juga tanda tangan dengan jari atau tetikus di kotak yang tersedia. Gambar tanda tangan bersifat opsional; nama yang diketik sudah sah sebagai tanda tangan elektronik.
6. **Masukkan kembali kata sandi** bila diminta. Ini terjadi bila Anda masuk lebih dari 15 menit sebelumnya.
7. **Tekan "Tandatangani pakta".**
8. **Simpan tanda terima.** Halaman tanda terima menampilkan kode 16 karakter, waktu penandatanganan, dan kode QR. Pilih "Unduh PDF" untuk menyimpannya atau "Cetak" bila perlu arsip kertas.
9. **Verifikasi.** Siapa pun dapat memeriksa keaslian tanda terima dengan memindai kode QR pada PDF, atau membuka menu Verifikasi dan memasukkan kodenya. Tanda terima yang sah ditandai "SAH".

## Perlu diketahui

- Setiap ASN cukup menandatangani satu kali untuk setiap pakta. Bila tombol tertekan dua kali, tanda tangan tidak tercatat ganda.
- Bila isi pakta diperbarui, seluruh ASN wajib menandatangani versi yang baru.
- Gambar tanda tangan tidak pernah ditampilkan di halaman publik. Halaman Kepatuhan hanya memuat nama kepala unit serta jumlah pegawai yang sudah dan belum menandatangani.
- Kendala akun dan data dapat ditanyakan kepada operator perangkat daerah masing-masing.`,
    daysAgo: 7,
    status: 'published',
    pinned: true,
    unitCode: 'DISKOMINFO',
    cover: 'tata-cara.jpg',
  },
  {
    title: 'Pengingat: Seluruh ASN Wajib Menandatangani Pakta Integritas sebelum Batas Waktu',
    category: 'pengumuman',
    excerpt:
      'Baru sekitar separuh ASN Pemprov Jawa Tengah yang menandatangani Pakta Integritas Netralitas ASN. ASN yang belum diminta segera menandatangani melalui Ikrar sebelum batas waktu.',
    body: `Sepekan sejak Pakta Integritas Netralitas ASN dibuka, data kepatuhan di Ikrar menunjukkan baru sekitar separuh ASN di lingkungan Pemerintah Provinsi Jawa Tengah yang telah menandatangani. Seluruh ASN, baik PNS maupun PPPK, **wajib** menandatangani pakta tersebut.

## Batas waktu

Batas waktu penandatanganan tercantum pada menu Pakta Saya di samping judul setiap pakta. Batas waktu bagi Kepala Perangkat Daerah lebih awal daripada batas waktu bagi ASN lainnya. Setelah batas waktu lewat, pakta tidak dapat lagi ditandatangani secara mandiri dan ASN yang belum menandatangani harus menghubungi admin melalui operator perangkat daerah.

## Yang perlu dilakukan

- **ASN yang belum menandatangani:** masuk ke Ikrar dan ikuti tata cara penandatanganan yang telah diumumkan. Prosesnya hanya beberapa menit.
- **Kepala Perangkat Daerah:** pastikan Anda sendiri telah menandatangani, lalu dorong pegawai di unit Anda.
- **Operator:** pantau daftar pegawai yang belum menandatangani di unit Anda, kirimkan pengingat, dan bantu pegawai yang mengalami kendala akun.

Rekapitulasi kepatuhan per perangkat daerah akan dilaporkan kepada Sekretaris Daerah sebagai bahan evaluasi pembinaan netralitas ASN.`,
    daysAgo: 1,
    status: 'published',
    pinned: true,
    unitCode: 'BKD',
  },
  {
    title: 'Apel Siaga Netralitas ASN Pemerintah Provinsi Jawa Tengah',
    category: 'pengumuman',
    excerpt:
      'Apel Siaga Netralitas ASN digelar Senin pekan depan pukul 07.00 WIB di halaman Kantor Gubernur Jawa Tengah. Setiap perangkat daerah diminta mengirimkan perwakilan pegawai.',
    body: `Dalam rangka meneguhkan komitmen netralitas menjelang masa kampanye, Pemerintah Provinsi Jawa Tengah akan menyelenggarakan Apel Siaga Netralitas ASN dengan ketentuan berikut.

## Waktu dan tempat

- **Hari:** Senin pekan depan
- **Pukul:** 07.00 WIB (peserta hadir paling lambat 06.45 WIB)
- **Tempat:** halaman Kantor Gubernur Jawa Tengah, Jalan Pahlawan Nomor 9, Semarang
- **Pembina apel:** Sekretaris Daerah Provinsi Jawa Tengah

## Peserta

1. Kepala Perangkat Daerah di lingkungan Pemerintah Provinsi Jawa Tengah;
2. pejabat administrator dan pengawas di lingkungan Sekretariat Daerah;
3. perwakilan pegawai dari setiap perangkat daerah, paling sedikit 20 orang;
4. perwakilan cabang dinas dan unit pelaksana teknis di Kota Semarang.

Peserta mengenakan pakaian dinas harian sesuai ketentuan.

## Rangkaian acara

Apel meliputi pembacaan ikrar netralitas ASN, amanat pembina apel, dan penyerahan simbolis hasil rekapitulasi penandatanganan pakta integritas per perangkat daerah. Peserta yang belum menandatangani Pakta Integritas Netralitas ASN di Ikrar diharapkan menyelesaikannya sebelum apel.

Informasi lebih lanjut dapat ditanyakan kepada Bidang Politik Dalam Negeri, Badan Kesatuan Bangsa dan Politik Provinsi Jawa Tengah, telepon (024) 000000.`,
    daysAgo: -3,
    status: 'published',
    pinned: false,
    unitCode: 'KESBANGPOL',
  },
  {
    title: 'Tanya Jawab Seputar Netralitas ASN dan Pakta Integritas',
    category: 'berita',
    excerpt:
      'Apakah PPPK juga wajib menandatangani? Bolehkah hadir di kampanye saat cuti? Amankah data tanda tangan saya? Berikut jawaban atas pertanyaan yang paling sering diterima.',
    body: `Sejak penandatanganan Pakta Integritas Netralitas ASN dibuka, Badan Kepegawaian Daerah menerima banyak pertanyaan dari pegawai. Berikut rangkuman jawabannya.

## Apakah PPPK juga wajib menandatangani?

Ya. Netralitas berlaku bagi seluruh pegawai ASN, baik PNS maupun Pegawai Pemerintah dengan Perjanjian Kerja (PPPK).

## Bolehkah menghadiri kampanye di luar jam kerja atau saat cuti?

Tidak. Larangan berpihak tidak bergantung pada jam kerja. Visi dan misi peserta dapat diikuti melalui debat resmi dan pemberitaan media.

## Bolehkah menyukai unggahan teman yang berisi dukungan kepada calon?

Sebaiknya tidak. Menyukai, mengomentari, membagikan, atau mengikuti konten kampanye termasuk bentuk keberpihakan di media sosial.

## Apakah data tanda tangan saya aman?

Gambar tanda tangan hanya dapat dibuka oleh admin dan setiap aksesnya tercatat. Halaman publik tidak menampilkan nama pegawai, hanya nama kepala unit serta jumlah pegawai yang sudah dan belum menandatangani. NIP selalu disamarkan di halaman publik. Pengelolaan data ini mengikuti Undang-Undang Nomor 27 Tahun 2022 tentang Pelindungan Data Pribadi.

## Saya keliru menandatangani, apa yang harus dilakukan?

Hubungi operator perangkat daerah Anda. Admin dapat membatalkan tanda tangan dengan mencantumkan alasannya, lalu Anda menandatangani ulang. Pembatalan itu tetap tercatat.

## Saya baru dilantik sebagai kepala perangkat daerah. Apakah perlu menandatangani lagi?

Ya. Pakta bagi Kepala Perangkat Daerah wajib ditandatangani oleh pejabat yang sedang menjabat, meskipun pejabat sebelumnya sudah menandatangani.`,
    daysAgo: 0,
    status: 'draft',
    pinned: false,
    unitCode: 'BKD',
  },
];
